import type {
  ColleagueInfo,
  Envelope,
  JsonValue,
  MediatorKind,
  SendOptions,
  BroadcastEnvelope,
} from './model';

/** What a colleague can do with the mediator it is registered with. */
export interface MediatorHandle {
  sendMessage(
    senderId: string,
    recipientId: string,
    payload: JsonValue,
    options?: SendOptions,
  ): Promise<Envelope>;
  broadcastMessage(
    senderId: string,
    payload: JsonValue,
    options?: SendOptions,
  ): Promise<BroadcastEnvelope>;
}

/**
 * Something that can receive deliveries in process. For a request (command, query, workflow
 * step, …) what `receive` returns, or resolves to, is the reply.
 */
export interface Receiver {
  receive(envelope: Envelope): unknown;
}

/** The data a colleague is registered with; everything but `id` has a default. */
export interface ColleagueRegistration {
  id: string;
  name?: string;
  type?: MediatorKind;
  active?: boolean;
  handles?: string[];
  subscriptions?: string[];
  metadata?: ColleagueInfo['metadata'];
}

/**
 * A colleague in process (the original examples' BaseColleague): it knows its mediator once
 * registered, sends through it, and handles what it receives in `receive`.
 */
export abstract class BaseColleague implements ColleagueRegistration, Receiver {
  private mediator?: MediatorHandle;
  readonly received: Envelope[] = [];

  constructor(
    readonly id: string,
    readonly name: string = id,
    readonly type: MediatorKind = 'message',
  ) {}

  /** Called by the mediator on registration. */
  setMediator(mediator: MediatorHandle | undefined): void {
    this.mediator = mediator;
  }

  send(recipientId: string, payload: JsonValue, options?: SendOptions): Promise<Envelope> {
    return this.requireMediator().sendMessage(this.id, recipientId, payload, options);
  }

  broadcast(payload: JsonValue, options?: SendOptions): Promise<BroadcastEnvelope> {
    return this.requireMediator().broadcastMessage(this.id, payload, options);
  }

  /** Records the envelope and hands it to `handle`; resolves with its reply to a request. */
  async receive(envelope: Envelope): Promise<unknown> {
    this.received.push(envelope);
    return this.handle(envelope);
  }

  /** Handles a delivery; for a request, the return value is the reply. */
  protected abstract handle(envelope: Envelope): unknown;

  private requireMediator(): MediatorHandle {
    if (!this.mediator) throw new Error(`colleague '${this.id}' is not registered with a mediator`);
    return this.mediator;
  }
}

/** A colleague whose behaviour is one function: handy for tests and small programs. */
export class FunctionColleague extends BaseColleague {
  constructor(
    id: string,
    private readonly handler: (envelope: Envelope, self: FunctionColleague) => unknown = () =>
      undefined,
    type: MediatorKind = 'message',
  ) {
    super(id, id, type);
  }

  protected handle(envelope: Envelope): unknown {
    return this.handler(envelope, this);
  }
}

export function isReceiver(value: unknown): value is Receiver {
  return typeof (value as Receiver | undefined)?.receive === 'function';
}
