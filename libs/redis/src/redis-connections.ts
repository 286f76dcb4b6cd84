import { Inject, Injectable, Logger, type OnApplicationShutdown, Optional } from '@nestjs/common';
import KeyvRedis, { createClient } from '@keyv/redis';
import { Redis, type RedisOptions } from 'ioredis';
import { Keyv } from 'keyv';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
// By path: the health lib's index pulls in its controller and, through it, the auth lib.
import { ComponentHealth } from '@mediator/component-health';

const COMMAND_TIMEOUT_MS = 1000;
const MAX_RECONNECT_DELAY_MS = 2000;
const ERROR_LOG_INTERVAL_MS = 30_000;

interface Closable {
  close(): Promise<unknown>;
}

/**
 * The Redis connections of this instance (`database.redis`, env `REDIS_HOST`): one client for
 * commands (rate-limit counters, presence), extra clients for pub/sub, and the cache store.
 *
 * A Redis that is down — at start-up or later — never stops the process: every client reconnects
 * with backoff, commands fail after COMMAND_TIMEOUT_MS instead of hanging a request, and the
 * health probe `redis` reports it.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly opened: Closable[] = [];
  private readonly lastErrorLog = new Map<string, number>();
  private commandClient?: Redis;
  readonly enabled: boolean;
  /** `database.redis.key_prefix`: every key and channel of this deployment starts with it. */
  readonly prefix: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() health?: ComponentHealth,
  ) {
    this.enabled = config.database.redis.enabled;
    this.prefix = config.database.redis.keyPrefix;
    if (!this.enabled) return;
    // No offline queue: while Redis is away a command fails at once (presence, counters fall
    // back) instead of holding every request for COMMAND_TIMEOUT_MS.
    this.commandClient = this.open('commands', {
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    health?.register(
      'redis',
      async () => {
        await this.commands.ping();
      },
      { degradable: true },
    );
  }

  /** The shared command connection; only when Redis is configured. */
  get commands(): Redis {
    if (!this.commandClient) throw new Error('Redis is not configured (database.redis)');
    return this.commandClient;
  }

  /**
   * A connection of its own, for pub/sub. Its commands wait in the offline queue while Redis is
   * away (no per-command timeout), because libraries such as the Socket.IO adapter publish
   * without handling a rejected promise.
   */
  openPubSub(role: string): Redis {
    return this.open(role, { maxRetriesPerRequest: null });
  }

  /**
   * A Keyv store on Redis for cache-manager, its keys under `<prefix><name>`. @keyv/redis speaks through node-redis, so this is a
   * separate connection; its offline queue is off so a look-up fails fast (a cache miss) while
   * Redis is away, and Keyv reports errors as events rather than throwing.
   */
  keyv(name: string): Keyv {
    const { host, port, password, db } = this.config.database.redis;
    const namespace = this.prefix + name;
    const client = createClient({
      socket: {
        host,
        port,
        connectTimeout: MAX_RECONNECT_DELAY_MS,
        reconnectStrategy: (retries: number) =>
          Math.min(100 * (retries + 1), MAX_RECONNECT_DELAY_MS),
      },
      password: password || undefined,
      database: db,
      name: `${this.config.name}:cache`,
      disableOfflineQueue: true,
    });
    client.on('error', (error: Error) => this.logError('cache', error));
    // Connects in the background; KeyvRedis finds the client open and does not wait for it.
    client.connect().catch((error: Error) => this.logError('cache', error));
    this.opened.push({
      close: async () => {
        if (client.isReady) await client.close();
        else if (client.isOpen) client.destroy();
      },
    });
    const store = new KeyvRedis(client, {
      namespace,
      throwOnConnectError: false,
      throwOnErrors: false,
    });
    const keyv = new Keyv(store, { namespace, useKeyPrefix: false });
    keyv.on('error', (error: unknown) => this.logError('cache', error));
    return keyv;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.opened.map((c) => c.close().catch(() => undefined)));
  }

  private open(role: string, overrides: RedisOptions): Redis {
    const { host, port, password, db } = this.config.database.redis;
    const client = new Redis({
      host,
      port,
      password: password || undefined,
      db,
      connectionName: `${this.config.name}:${role}`,
      retryStrategy: (times) => Math.min(100 * times, MAX_RECONNECT_DELAY_MS),
      ...overrides,
    });
    client.on('error', (error: Error) => this.logError(role, error));
    this.opened.push({
      close: () => client.quit().catch(() => client.disconnect()),
    });
    return client;
  }

  /** One line per connection role and ERROR_LOG_INTERVAL_MS: a Redis outage must not flood the log. */
  private logError(role: string, error: unknown): void {
    const now = Date.now();
    if (now - (this.lastErrorLog.get(role) ?? 0) < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLog.set(role, now);
    this.logger.warn(
      { role, err: error instanceof Error ? error.message : String(error) },
      'Redis unavailable; retrying',
    );
  }
}
