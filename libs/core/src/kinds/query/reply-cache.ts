import { canonicalJson } from '../../canonical-json';
import type { JsonValue } from '../../model';
import { type Clock, systemClock } from '../../ports';

/** The cache key of a query: its type and its data as canonical JSON (key order ignored). */
export function queryCacheKey(mediator: string, type: string, data: JsonValue): string {
  return `${mediator}\u0000${type}\u0000${canonicalJson(data)}`;
}

/** Cached query replies (the service: cache-manager, memory or Redis). */
export abstract class ReplyCache {
  /** The cached reply wrapped in `{ reply }` (a reply may itself be null), or null on a miss. */
  abstract get(key: string): Promise<{ reply: unknown } | null>;
  abstract set(key: string, reply: unknown, ttlMs: number): Promise<void>;
}

export class InMemoryReplyCache extends ReplyCache {
  private readonly entries = new Map<string, { reply: unknown; expiresAt: number }>();

  constructor(private readonly clock: Clock = systemClock) {
    super();
  }

  async get(key: string): Promise<{ reply: unknown } | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return null;
    }
    return { reply: entry.reply };
  }

  async set(key: string, reply: unknown, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    this.entries.set(key, { reply, expiresAt: this.clock.now().getTime() + ttlMs });
  }
}
