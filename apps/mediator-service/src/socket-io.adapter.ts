import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server } from 'socket.io';
import type { AppConfig } from '@mediator/config';

/** Socket.IO on the HTTP port, with the path, CORS and ping settings of the config. */
export class ConfiguredIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(
    port: number,
    options?: Parameters<IoAdapter['createIOServer']>[1],
  ): Server {
    const origins = this.config.server.corsOrigins;
    return super.createIOServer(port, {
      ...options,
      path: this.config.websocket.path,
      pingInterval: this.config.websocket.pingIntervalMs,
      pingTimeout: this.config.websocket.pingTimeoutMs,
      maxHttpBufferSize: this.config.server.bodyLimit,
      cors: { origin: origins.includes('*') ? true : origins, credentials: true },
    } as Parameters<IoAdapter['createIOServer']>[1]) as Server;
  }
}
