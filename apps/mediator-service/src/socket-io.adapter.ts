import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Server } from 'socket.io';
import type { AppConfig } from '@mediator/config';
import { RedisConnections } from '@mediator/redis';
import { corsOptions } from './http-hardening';

/**
 * Socket.IO on the HTTP port, with the path, CORS and ping settings of the config. With Redis
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
    const server = super.createIOServer(port, {
      ...options,
      path: this.config.websocket.path,
      pingInterval: this.config.websocket.pingIntervalMs,
      pingTimeout: this.config.websocket.pingTimeoutMs,
      maxHttpBufferSize: this.config.server.bodyLimit,
      cors: corsOptions(this.config.server.corsOrigins),
    } as Parameters<IoAdapter['createIOServer']>[1]) as Server;
    const redis = this.appContext.get(RedisConnections);
    if (redis.enabled) {
      server.adapter(
        createAdapter(redis.openPubSub('socket.io-pub'), redis.openPubSub('socket.io-sub'), {
          key: `${redis.prefix}socket.io`,
        }),
      );
    }
    return server;
  }
}
