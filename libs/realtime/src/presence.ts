import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { TurnBatcher } from '@mediator/redis';

/**
 * Who is online: a colleague is online while a Socket.IO connection bound to it is open on any
 * instance (CONTRACT §4 `online`). Each instance counts its own connections; this port answers
 * for all of them.
 */
export abstract class Presence {
  /** A colleague-bound socket of this instance connected (`+1`) or left (`-1`). Never rejects. */
  abstract track(mediator: string, id: string, delta: 1 | -1): Promise<void>;
  /** The ids among `ids` that are online in `mediator`. */
  abstract onlineAmong(mediator: string, ids: string[]): Promise<Set<string>>;

  async isOnline(mediator: string, id: string): Promise<boolean> {
    return (await this.onlineAmong(mediator, [id])).has(id);
  }
}

/** Connection counts of this instance, keyed by `mediator \n id`. */
class LocalCounts {
  private readonly counts = new Map<string, number>();

  static field(mediator: string, id: string): string {
    return `${mediator}\n${id}`;
  }

  /** Applies the delta; returns true when the colleague went from offline to online or back. */
  apply(field: string, delta: 1 | -1): boolean {
    const before = this.counts.get(field) ?? 0;
    const after = Math.max(0, before + delta);
    if (after > 0) this.counts.set(field, after);
    else this.counts.delete(field);
    return (before === 0) !== (after === 0);
  }

  has(field: string): boolean {
    return this.counts.has(field);
  }

  fields(): string[] {
    return [...this.counts.keys()];
  }
}

/** Presence of a single instance: the embedded default (no Redis). */
export class LocalPresence extends Presence {
  private readonly local = new LocalCounts();

  async track(mediator: string, id: string, delta: 1 | -1): Promise<void> {
    this.local.apply(LocalCounts.field(mediator, id), delta);
  }

  async onlineAmong(mediator: string, ids: string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.local.has(LocalCounts.field(mediator, id))));
  }
}

const HEARTBEAT_MS = 5_000;
/** An instance that missed this long of heartbeats (crashed, cut off) no longer counts. */
const INSTANCE_TTL_MS = 3 * HEARTBEAT_MS;

/**
 * For every live instance, the fields (colleagues) of `ARGV` it holds; drops instances whose
 * hash has expired. KEYS: the instance set. ARGV: the instance-hash key prefix, then the fields.
 */
const ONLINE_SCRIPT = `
local result = {}
for i = 2, #ARGV do result[i - 1] = 0 end
for _, instance in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. instance
  if redis.call('EXISTS', key) == 0 then
    redis.call('SREM', KEYS[1], instance)
  else
    for i = 2, #ARGV do
      if result[i - 1] == 0 and redis.call('HEXISTS', key, ARGV[i]) == 1 then result[i - 1] = 1 end
    end
  end
end
return result
`;

interface PresenceCommands {
  mediatorPresenceOnline(
    instancesKey: string,
    prefix: string,
    ...fields: string[]
  ): Promise<number[]>;
}

/**
 * Presence shared by every instance through Redis.
 *
 * Each instance owns one hash, `{<prefix>presence}:instance:<uuid>`, of the colleagues it holds
 * a connection for, and lists itself in the set `{<prefix>presence}:instances`. The hash expires
 * INSTANCE_TTL_MS after the last heartbeat, so the colleagues of a crashed instance go offline by
 * themselves; a query skips (and forgets) instances whose hash is gone. The instance's own counts
 * stay in memory: after a Redis outage or restart the next heartbeat writes the hash again.
 * The `{…}` hash tag keeps every presence key in one Redis Cluster slot, as the script needs.
 */
export class RedisPresence extends Presence implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisPresence.name);
  private readonly local = new LocalCounts();
  private readonly instanceId = randomUUID();
  private readonly instancesKey: string;
  private readonly instancePrefix: string;
  private readonly redis: Redis & PresenceCommands;
  private timer?: NodeJS.Timeout;
  /** Redis may not hold what this instance counts (a write failed, Redis restarted). */
  private stale = true;
  private lastErrorLog = 0;
  /** The look-ups of one turn (deliveries released by one group commit) share one script call. */
  private readonly lookups = new TurnBatcher<string[], Set<string>>((batch) =>
    this.onlineFields(batch),
  );

  constructor(redis: Redis, keyPrefix: string) {
    super();
    this.instancesKey = `{${keyPrefix}presence}:instances`;
    this.instancePrefix = `{${keyPrefix}presence}:instance:`;
    redis.defineCommand('mediatorPresenceOnline', { numberOfKeys: 1, lua: ONLINE_SCRIPT });
    this.redis = redis as Redis & PresenceCommands;
    // A Redis that comes back may have lost everything (it runs without persistence in tests).
    redis.on('ready', () => {
      this.stale = true;
      void this.heartbeat();
    });
  }

  private get instanceKey(): string {
    return this.instancePrefix + this.instanceId;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.redis
        .multi()
        .del(this.instanceKey)
        .srem(this.instancesKey, this.instanceId)
        .exec();
    } catch {
      // The hash expires by itself.
    }
  }

  async track(mediator: string, id: string, delta: 1 | -1): Promise<void> {
    const field = LocalCounts.field(mediator, id);
    if (!this.local.apply(field, delta)) return;
    try {
      const tx = this.redis.multi();
      if (delta === 1) tx.hset(this.instanceKey, field, '1');
      else tx.hdel(this.instanceKey, field);
      await tx
        .pexpire(this.instanceKey, INSTANCE_TTL_MS)
        .sadd(this.instancesKey, this.instanceId)
        .exec();
    } catch (error) {
      this.stale = true;
      this.logUnavailable(error);
    }
  }

  async onlineAmong(mediator: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const fields = ids.map((id) => LocalCounts.field(mediator, id));
    try {
      const online = await this.lookups.submit(fields);
      return new Set(ids.filter((_, i) => online.has(fields[i])));
    } catch (error) {
      // Without Redis, this instance still knows its own connections.
      this.logUnavailable(error);
      return new Set(ids.filter((_, i) => this.local.has(fields[i])));
    }
  }

  /** For each look-up of the batch, its fields that are online: one script call for all. */
  private async onlineFields(batch: string[][]): Promise<Set<string>[]> {
    const fields = [...new Set(batch.flat())];
    const flags = await this.redis.mediatorPresenceOnline(
      this.instancesKey,
      this.instancePrefix,
      ...fields,
    );
    const online = new Set(fields.filter((_, i) => flags[i] === 1));
    return batch.map(() => online);
  }

  /** Keeps this instance's hash alive, and rewrites it whole when Redis may have lost it. */
  private async heartbeat(): Promise<void> {
    try {
      const alive = await this.redis.pexpire(this.instanceKey, INSTANCE_TTL_MS);
      const fields = this.local.fields();
      if (this.stale || (alive === 0 && fields.length > 0)) {
        const tx = this.redis.multi().del(this.instanceKey);
        if (fields.length > 0) tx.hset(this.instanceKey, ...fields.flatMap((f) => [f, '1']));
        await tx.pexpire(this.instanceKey, INSTANCE_TTL_MS).exec();
        this.stale = false;
      }
      await this.redis.sadd(this.instancesKey, this.instanceId);
    } catch (error) {
      this.stale = true;
      this.logUnavailable(error);
    }
  }

  private logUnavailable(error: unknown): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 30_000) return;
    this.lastErrorLog = now;
    this.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'presence unavailable (Redis); answering from this instance only',
    );
  }
}
