import { type ColleagueRegistration, type MediatorHandle, isReceiver } from './colleague';
import { type MediatorConfig, DEFAULT_MEDIATOR_CONFIG } from './config';
import {
  ColleagueInactiveError,
  ColleagueNotFoundError,
  MaxColleaguesReachedError,
  ValidationError,
} from './errors';
import { UuidV7Generator } from './ids';
import {
  EventFanOut,
  type EventListener,
  InMemoryColleagueDirectory,
  InMemoryMessageStore,
  LocalDelivery,
} from './memory-adapters';
import {
  COLLEAGUE_ID_PATTERN,
  type BroadcastEnvelope,
  type ColleagueInfo,
  type Envelope,
  type JsonValue,
  MEDIATOR_KINDS,
  type MediatorKind,
  type SendOptions,
} from './model';
import {
  type Clock,
  ColleagueDirectory,
  DeliveryPort,
  type IdGenerator,
  type LifecycleEvent,
  MessageStore,
  systemClock,
} from './ports';

export interface MediatorPorts {
  directory: ColleagueDirectory;
  messages: MessageStore;
  delivery: DeliveryPort;
  clock?: Clock;
  ids?: IdGenerator;
}

export interface ConcreteMediatorOptions {
  /** The mediator's name; in process it defaults to `default`. */
  name?: string;
  /** This mediator's own colleague limit; defaults to `config.maxColleagues`. */
  maxColleagues?: number;
  /** Real adapters (the service); without them the mediator keeps everything in memory. */
  ports?: MediatorPorts;
}

/**
 * The mediator: colleagues never talk to each other directly, only through it. It decides who
 * receives what — registration limits, active/inactive, direct and broadcast routing — and acts
 * only through its ports, so the same rules run in process and in the service.
 */
export class ConcreteMediator implements MediatorHandle {
  readonly name: string;
  readonly config: MediatorConfig;
  private readonly maxColleagues: number;
  private readonly directory: ColleagueDirectory;
  private readonly messages: MessageStore;
  private readonly delivery: DeliveryPort;
  private readonly clock: Clock;
  private readonly ids: IdGenerator;
  private readonly local?: { delivery: LocalDelivery; events: EventFanOut };

  constructor(config: Partial<MediatorConfig> = {}, options: ConcreteMediatorOptions = {}) {
    this.config = { ...DEFAULT_MEDIATOR_CONFIG, ...config };
    this.name = options.name ?? 'default';
    this.maxColleagues = options.maxColleagues ?? this.config.maxColleagues;
    if (options.ports) {
      ({
        directory: this.directory,
        messages: this.messages,
        delivery: this.delivery,
      } = options.ports);
      this.clock = options.ports.clock ?? systemClock;
      this.ids = options.ports.ids ?? new UuidV7Generator();
    } else {
      const events = new EventFanOut();
      const delivery = new LocalDelivery();
      this.local = { delivery, events };
      this.directory = new InMemoryColleagueDirectory(events);
      this.messages = new InMemoryMessageStore(events);
      this.delivery = delivery;
      this.clock = systemClock;
      this.ids = new UuidV7Generator();
    }
  }

  /** In process: listen to lifecycle events (colleague_registered, message_sent, …). */
  onEvent(listener: EventListener): () => void {
    if (!this.local)
      throw new Error('onEvent is for in-process mediators; the service publishes events itself');
    return this.local.events.on(listener);
  }

  async registerColleague(colleague: ColleagueRegistration): Promise<ColleagueInfo> {
    validateRegistration(colleague);
    if ((await this.directory.count(this.name)) >= this.maxColleagues) {
      throw new MaxColleaguesReachedError(this.name, this.maxColleagues);
    }
    const info: ColleagueInfo = {
      mediator: this.name,
      id: colleague.id,
      name: colleague.name ?? colleague.id,
      type: colleague.type ?? 'message',
      active: colleague.active ?? true,
      handles: [...(colleague.handles ?? [])],
      subscriptions: [...(colleague.subscriptions ?? [])],
      metadata: { ...(colleague.metadata ?? {}) },
      registeredAt: this.clock.now(),
    };
    const stored = await this.directory.add(
      info,
      this.event('colleague_registered', toEventData(info)),
    );
    if (this.local && isReceiver(colleague)) {
      this.local.delivery.attach(this.name, colleague.id, colleague);
      (colleague as { setMediator?: (m: MediatorHandle) => void }).setMediator?.(this);
    }
    return stored;
  }

  async unregisterColleague(id: string): Promise<void> {
    const removed = await this.directory.remove(
      this.name,
      id,
      this.event('colleague_unregistered', { id }),
    );
    if (!removed) throw new ColleagueNotFoundError(this.name, id);
    this.local?.delivery.detach(this.name, id);
  }

  async getColleague(id: string): Promise<ColleagueInfo> {
    const colleague = await this.directory.find(this.name, id);
    if (!colleague) throw new ColleagueNotFoundError(this.name, id);
    return colleague;
  }

  /** Sends `payload` from one colleague to another: stored first, then pushed if reachable. */
  async sendMessage(
    senderId: string,
    recipientId: string,
    payload: JsonValue,
    options: SendOptions = {},
  ): Promise<Envelope> {
    validateSendOptions(options);
    if (options.idempotencyKey) {
      const first = await this.messages.findByIdempotencyKey(
        this.name,
        senderId,
        options.idempotencyKey,
      );
      if (first) return first;
    }
    const [sender, recipient] = await Promise.all([
      this.directory.find(this.name, senderId),
      this.directory.find(this.name, recipientId),
    ]);
    if (!sender) throw new ColleagueNotFoundError(this.name, senderId, 'sender');
    if (!recipient) throw new ColleagueNotFoundError(this.name, recipientId, 'recipient');
    if (!sender.active) throw new ColleagueInactiveError(this.name, senderId);
    if (!recipient.active) throw new ColleagueInactiveError(this.name, recipientId);

    const envelope = this.envelope(senderId, recipientId, payload, options);
    const saved = await this.messages.save(
      envelope,
      [recipientId],
      options.idempotencyKey,
      this.event('message_sent', {
        id: envelope.id,
        sender_id: senderId,
        recipient_id: recipientId,
        kind: envelope.kind,
        type: envelope.type,
      }),
    );
    if (saved.created) await this.delivery.deliver(saved.envelope, [recipientId]);
    return saved.envelope;
  }

  /** Sends `payload` to every active colleague except the sender. */
  async broadcastMessage(
    senderId: string,
    payload: JsonValue,
    options: SendOptions = {},
  ): Promise<BroadcastEnvelope> {
    validateSendOptions(options);
    const sender = await this.directory.find(this.name, senderId);
    if (!sender) throw new ColleagueNotFoundError(this.name, senderId, 'sender');
    if (!sender.active) throw new ColleagueInactiveError(this.name, senderId);

    const recipients = (await this.directory.listActive(this.name))
      .filter((c) => c.id !== senderId)
      .map((c) => c.id);
    const envelope = this.envelope(senderId, null, payload, options);
    const saved = await this.messages.save(
      envelope,
      recipients,
      options.idempotencyKey,
      this.event('message_broadcasted', {
        id: envelope.id,
        sender_id: senderId,
        recipients: recipients.length,
        kind: envelope.kind,
        type: envelope.type,
      }),
    );
    if (saved.created) await this.delivery.deliver(saved.envelope, recipients);
    return { ...saved.envelope, recipients: recipients.length };
  }

  /** A lifecycle event of this mediator, with a fresh id and the current time. */
  event(event: string, data: unknown): LifecycleEvent {
    return { id: this.ids.next(), event, mediator: this.name, data, timestamp: this.clock.now() };
  }

  private envelope(
    senderId: string,
    recipientId: string | null,
    payload: JsonValue,
    options: SendOptions,
  ): Envelope {
    return {
      id: this.ids.next(),
      mediator: this.name,
      kind: options.kind ?? 'message',
      type: options.type ?? (recipientId === null ? 'broadcast' : 'direct'),
      senderId,
      recipientId,
      payload: payload === undefined ? null : payload,
      headers: { ...(options.headers ?? {}) },
      correlationId: options.correlationId ?? null,
      createdAt: this.clock.now(),
      status: 'pending',
    };
  }
}

function validateRegistration(colleague: ColleagueRegistration): void {
  if (typeof colleague.id !== 'string' || !COLLEAGUE_ID_PATTERN.test(colleague.id)) {
    throw new ValidationError('invalid colleague id', [
      { field: 'id', problem: `must match ${COLLEAGUE_ID_PATTERN}` },
    ]);
  }
  if (colleague.type !== undefined && !MEDIATOR_KINDS.includes(colleague.type)) {
    throw new ValidationError('invalid colleague type', [
      { field: 'type', problem: `must be one of ${MEDIATOR_KINDS.join(', ')}` },
    ]);
  }
}

function validateSendOptions(options: SendOptions): void {
  if (options.kind !== undefined && !MEDIATOR_KINDS.includes(options.kind as MediatorKind)) {
    throw new ValidationError('invalid message kind', [
      { field: 'kind', problem: `must be one of ${MEDIATOR_KINDS.join(', ')}` },
    ]);
  }
}

/** Lifecycle event data for a colleague, in the wire's snake_case. */
export function toEventData(c: ColleagueInfo): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    active: c.active,
    handles: c.handles,
    subscriptions: c.subscriptions,
  };
}
