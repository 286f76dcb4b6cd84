import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Connection } from 'mongoose';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/**
 * Keeps the MongoDB connection alive without holding up start-up. The connection is opened
 * lazily (the app starts while MongoDB is down; operations wait in Mongoose's buffer), a failed
 * first connection is retried with backoff (the driver itself only reconnects once it has been
 * connected), indexes are created once connected, and `ping` feeds the health check.
 */
@Injectable()
export class MongoConnectionService implements OnApplicationShutdown {
  private readonly logger = new Logger('MongoDB');
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly connection: Connection,
    private readonly uri: string,
    private readonly options: Record<string, unknown>,
    private readonly onConnected: () => Promise<void>,
  ) {
    // Without a listener a failed first connection would be an unhandled rejection.
    connection.on('error', (error: Error) => this.logger.warn(`MongoDB error: ${error.message}`));
    connection.on('disconnected', () => this.logger.warn('MongoDB disconnected'));
    void this.watch(FIRST_RETRY_MS);
  }

  async ping(): Promise<void> {
    const db = this.connection.db;
    if (this.connection.readyState !== 1 || !db) throw new Error('not connected');
    await db.admin().ping();
  }

  private async watch(delayMs: number): Promise<void> {
    try {
      await this.connection.asPromise();
      this.logger.log('MongoDB connected');
      await this.onConnected();
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn(
        `MongoDB not reachable (${(error as Error).message}); retrying in ${delayMs} ms`,
      );
      this.retryTimer = setTimeout(() => {
        if (this.stopped) return;
        this.connection.openUri(this.uri, this.options).catch(() => undefined);
        void this.watch(Math.min(delayMs * 2, MAX_RETRY_MS));
      }, delayMs);
      this.retryTimer.unref();
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }
}
