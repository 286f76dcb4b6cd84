import {
  ColleagueExistsError,
  ColleagueNotFoundError,
  MaxColleaguesReachedError,
  MediatorExistsError,
} from './errors';
import type { Receiver } from './colleague';
import type { ColleagueInfo, Envelope, MediatorInfo } from './model';
import {
  ColleagueDirectory,
  DeliveryPort,
  type LifecycleEvent,
  MediatorStore,
  MessageStore,
  type ReachableRecipients,
  type RequestPort,
} from './ports';

/** Lifecycle events in process go to listeners instead of an outbox. */
export type EventListener = (event: LifecycleEvent) => void;

class EventFanOut {
  private readonly listeners = new Set<EventListener>();
  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** Listener errors: the change an event reports has already happened, so one must not undo it. */
  readonly failures: { event: LifecycleEvent; error: unknown }[] = [];
  emit(event: LifecycleEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.failures.push({ event, error });
      }
    }
  }
}

export class InMemoryMediatorStore extends MediatorStore {
  private readonly mediators = new Map<string, MediatorInfo>();
  constructor(readonly events = new EventFanOut()) {
    super();
  }
  async count(): Promise<number> {
    return this.mediators.size;
  }
  async find(name: string): Promise<MediatorInfo | null> {
    return this.mediators.get(name) ?? null;
  }
  async create(mediator: MediatorInfo, event: LifecycleEvent): Promise<MediatorInfo> {
    if (this.mediators.has(mediator.name)) throw new MediatorExistsError(mediator.name);
    this.mediators.set(mediator.name, mediator);
    this.events.emit(event);
    return mediator;
  }
  async update(mediator: MediatorInfo, event: LifecycleEvent): Promise<MediatorInfo> {
    this.mediators.set(mediator.name, mediator);
    this.events.emit(event);
    return mediator;
  }
  async remove(name: string, event: LifecycleEvent): Promise<boolean> {
    const removed = this.mediators.delete(name);
    if (removed) this.events.emit(event);
    return removed;
  }
}

export class InMemoryColleagueDirectory extends ColleagueDirectory {
  private readonly colleagues = new Map<string, ColleagueInfo>();
  constructor(readonly events = new EventFanOut()) {
    super();
  }
  private key(mediator: string, id: string): string {
    return `${mediator}\u0000${id}`;
  }
  async find(mediator: string, id: string): Promise<ColleagueInfo | null> {
    return this.colleagues.get(this.key(mediator, id)) ?? null;
  }
  async listActive(mediator: string): Promise<ColleagueInfo[]> {
    return [...this.colleagues.values()].filter((c) => c.mediator === mediator && c.active);
  }
  async count(mediator: string): Promise<number> {
    let n = 0;
    for (const c of this.colleagues.values()) if (c.mediator === mediator) n++;
    return n;
  }
  async add(
    colleague: ColleagueInfo,
    event: LifecycleEvent,
    limit?: number,
  ): Promise<ColleagueInfo> {
    const key = this.key(colleague.mediator, colleague.id);
    if (this.colleagues.has(key)) throw new ColleagueExistsError(colleague.mediator, colleague.id);
    if (limit !== undefined && (await this.count(colleague.mediator)) >= limit) {
      throw new MaxColleaguesReachedError(colleague.mediator, limit);
    }
    this.colleagues.set(key, colleague);
    this.events.emit(event);
    return colleague;
  }
  async update(colleague: ColleagueInfo, event: LifecycleEvent): Promise<ColleagueInfo> {
    this.colleagues.set(this.key(colleague.mediator, colleague.id), colleague);
    this.events.emit(event);
    return colleague;
  }
  async remove(mediator: string, id: string, event: LifecycleEvent): Promise<boolean> {
    const removed = this.colleagues.delete(this.key(mediator, id));
    if (removed) this.events.emit(event);
    return removed;
  }
}

/** Keeps no per-recipient status (in process the `receive` call is the delivery). */
export class InMemoryMessageStore extends MessageStore {
  readonly messages = new Map<string, { envelope: Envelope; recipients: string[] }>();
  private readonly byKey = new Map<string, string>();
  constructor(readonly events = new EventFanOut()) {
    super();
  }
  async findByIdempotencyKey(
    mediator: string,
    senderId: string,
    key: string,
  ): Promise<Envelope | null> {
    const id = this.byKey.get(`${mediator}\u0000${senderId}\u0000${key}`);
    return id ? (this.messages.get(id)?.envelope ?? null) : null;
  }
  async save(
    envelope: Envelope,
    recipientIds: string[],
    idempotencyKey: string | undefined,
    event: LifecycleEvent | null,
  ): Promise<{ envelope: Envelope; created: boolean }> {
    if (idempotencyKey) {
      // Check and claim the key without an await in between, so concurrent sends with one key
      // cannot both see it free and both be stored and delivered.
      const key = `${envelope.mediator}\u0000${envelope.senderId}\u0000${idempotencyKey}`;
      const existingId = this.byKey.get(key);
      const existing = existingId ? this.messages.get(existingId)?.envelope : undefined;
      if (existing) return { envelope: existing, created: false };
      this.byKey.set(key, envelope.id);
    }
    this.messages.set(envelope.id, { envelope, recipients: recipientIds });
    if (event) this.events.emit(event);
    return { envelope, created: true };
  }
}

/**
 * Delivers in process by calling `receive` on the registered colleague objects; for a request,
 * what `receive` returns is the reply (so it is the RequestPort too).
 */
export class LocalDelivery extends DeliveryPort implements RequestPort {
  private readonly receivers = new Map<string, Receiver>();
  /** Deliveries whose receiver threw: kept so a caller can see them; delivery is at-least-once. */
  readonly failures: { envelope: Envelope; recipientId: string; error: unknown }[] = [];

  attach(mediator: string, id: string, receiver: Receiver): void {
    this.receivers.set(`${mediator}\u0000${id}`, receiver);
  }
  detach(mediator: string, id: string): void {
    this.receivers.delete(`${mediator}\u0000${id}`);
  }
  /** Colleagues registered as plain data have no receiver, so they cannot answer. */
  async reachable(mediator: string, handlerIds: string[]): Promise<string[]> {
    return handlerIds.filter((id) => this.receivers.has(`${mediator}\u0000${id}`));
  }

  async request(envelope: Envelope, handlerId: string): Promise<unknown> {
    const receiver = this.receivers.get(`${envelope.mediator}\u0000${handlerId}`);
    if (!receiver) throw new ColleagueNotFoundError(envelope.mediator, handlerId, 'handler');
    return receiver.receive(envelope);
  }

  /** In process there is nothing to forget: a late return value is simply not awaited. */
  cancel(_envelope: Envelope): void {}

  /** No status to store ahead (the in-memory store keeps none): `deliver` looks receivers up. */
  async reachableRecipients(): Promise<ReachableRecipients | null> {
    return null;
  }

  /** Calls every recipient that has a receiver now. */
  async deliver(envelope: Envelope, recipientIds: string[]): Promise<void> {
    await Promise.all(
      recipientIds.map(async (recipientId) => {
        const receiver = this.receivers.get(`${envelope.mediator}\u0000${recipientId}`);
        if (!receiver) return;
        try {
          await receiver.receive(envelope);
        } catch (error) {
          this.failures.push({ envelope, recipientId, error });
        }
      }),
    );
  }
}

export { EventFanOut };
