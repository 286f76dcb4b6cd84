import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { RedisAdapter, type RedisAdapterOptions } from '@socket.io/redis-adapter';
import { createServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { AppConfig } from '@mediator/config';
import { RedisConnections, TurnBatcher } from '@mediator/redis';
import { corsOptions } from './http-hardening';

/**
 * Socket.IO on the HTTP port (or on websocket.port when that differs), with the path, CORS and ping settings of the config. With Redis
 * configured, the Redis adapter fans emits out to every instance — lifecycle events, deliveries
 * and their acks (broadcastWithAck) — so a client may connect to any instance. Across instances
 * clients use `transports: ['websocket']`, or the load balancer keeps polling sessions sticky.
 */
export class ConfiguredIoAdapter extends IoAdapter {
  constructor(
    private readonly appContext: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(appContext);
  }

  override createIOServer(
    port: number,
    options?: Parameters<IoAdapter['createIOServer']>[1],
  ): Server {
    const { websocket } = this.config;
    const settings = {
      ...options,
      path: websocket.path,
      pingInterval: websocket.pingIntervalMs,
      pingTimeout: websocket.pingTimeoutMs,
      // websocket.read_buffer_size / write_buffer_size (the larger), else server.body_limit.
      maxHttpBufferSize: websocket.maxMessageBytes,
      cors: corsOptions(this.config.server.corsOrigins),
    } as Parameters<IoAdapter['createIOServer']>[1];
    const server = (
      websocket.port === this.config.server.port
        ? super.createIOServer(port, settings)
        : this.ownListener(websocket.port, settings ?? {})
    ) as Server;
    const redis = this.appContext.get(RedisConnections);
    if (redis.enabled) {
      const [pub, sub] = [redis.openPubSub('socket.io-pub'), redis.openPubSub('socket.io-sub')];
      const options = { key: `${redis.prefix}socket.io` };
      // Socket.IO calls the factory with `new`: a function, not an arrow.
      server.adapter(function adapter(nsp: unknown) {
        return new TurnCountingRedisAdapter(nsp, pub, sub, options);
      } as unknown as Parameters<Server['adapter']>[0]);
    }
    return server;
  }

  /** websocket.port ≠ server.port: Socket.IO on its own HTTP listener, on server.host. */
  private ownListener(port: number, settings: Partial<ServerOptions>): Server {
    const listener = createServer();
    listener.once('error', (error) => {
      // Like a taken server.port: one line, and the process ends rather than run without Socket.IO.
      process.stderr.write(`start-up failed: websocket.port ${port}: ${error.message}\n`);
      process.exit(1);
    });
    listener.listen(port, this.config.server.host);
    // Socket.IO closes the listener it is attached to when the app shuts down.
    return new Server(listener, settings);
  }
}

/**
 * The Redis adapter, asking Redis how many instances listen (PUBSUB NUMSUB) once per turn of the
 * event loop instead of once per emit: every delivery's emit with an ack asks, to know how many
 * instances' answers to wait for, and a busy instance emits many deliveries in one turn.
 */
class TurnCountingRedisAdapter extends RedisAdapter {
  private readonly counts = new TurnBatcher<void, number>(async (calls) => {
    const count = await this.countServers();
    return calls.map(() => count);
  });

  constructor(nsp: unknown, pub: unknown, sub: unknown, options: Partial<RedisAdapterOptions>) {
    super(nsp, pub, sub, options);
  }

  override serverCount(): Promise<number> {
    return this.counts.submit(undefined);
  }

  private countServers(): Promise<number> {
    return super.serverCount();
  }
}
