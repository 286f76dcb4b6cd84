import { EventFanOut } from '../../memory-adapters';
import type { JsonValue } from '../../model';
import type { LifecycleEvent } from '../../ports';

/** A published event as the history keeps it. */
export interface StoredEvent {
  id: string;
  mediator: string;
  type: string;
  senderId: string;
  data: JsonValue;
  headers: Record<string, string>;
  publishedAt: Date;
  /** The subscribers it was addressed to when first published. */
  recipientIds: string[];
}

export interface EventHistoryQuery {
  type?: string;
  /** The most recent `limit` events, oldest first; default 100. */
  limit?: number;
}

/**
 * Published events. `append` is where "exactly once per publish" is decided: an event whose id
 * is already stored is a redelivery, so the store returns the first one with `created: false`
 * and nothing is delivered again (SQL: a unique key on (mediator, id)).
 */
export abstract class EventStore {
  abstract append(
    event: StoredEvent,
    lifecycle: LifecycleEvent,
  ): Promise<{ event: StoredEvent; created: boolean }>;
  abstract history(mediator: string, query?: EventHistoryQuery): Promise<StoredEvent[]>;
}

export class InMemoryEventStore extends EventStore {
  private readonly byId = new Map<string, StoredEvent>();
  private readonly ordered: StoredEvent[] = [];

  constructor(readonly events = new EventFanOut()) {
    super();
  }

  async append(
    event: StoredEvent,
    lifecycle: LifecycleEvent,
  ): Promise<{ event: StoredEvent; created: boolean }> {
    const key = `${event.mediator}\u0000${event.id}`;
    const first = this.byId.get(key);
    if (first) return { event: first, created: false };
    this.byId.set(key, event);
    this.ordered.push(event);
    this.events.emit(lifecycle);
    return { event, created: true };
  }

  async history(mediator: string, query: EventHistoryQuery = {}): Promise<StoredEvent[]> {
    const matching = this.ordered.filter(
      (e) => e.mediator === mediator && (query.type === undefined || e.type === query.type),
    );
    return matching.slice(-(query.limit ?? 100));
  }
}
