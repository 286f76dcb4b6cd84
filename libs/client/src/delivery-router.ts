import { DeliveryLog, type DeliveryLogOptions } from './delivery-log';
import type { Answer, Envelope } from './wire';

/** A message handler: resolving acknowledges the delivery, throwing refuses it (a nack). */
export type MessageHandler<T = unknown> = (message: Envelope<T>) => unknown;
/** An event subscriber: receives the event's data and its envelope. */
export type EventHandler<T = unknown> = (data: T, event: Envelope<T>) => unknown;
/** A request handler (command, query, notification, workflow step, …): its result is the reply. */
export type RequestHandler<T = unknown, R = unknown> = (
  data: T,
  request: Envelope<T>,
) => R | Promise<R>;

export type AckCallback = (answer: Answer) => void;

export interface DeliveryRouterOptions extends DeliveryLogOptions {
  /** Deliveries kept while no handler for them is registered yet (the oldest are dropped). */
  maxHeld?: number;
}

/** Codes on the wire are UPPER_SNAKE (CONTRACT §3); anything else is reported as HANDLER_FAILED. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Routes the `message` deliveries of one colleague to its handlers and answers each through the
 * ack callback: plain messages to `onMessage` handlers, events by type to their subscribers, and
 * every other kind (commands, queries, notifications, workflow steps, …) to the one handler of
 * its type. A delivery with no handler yet is held, unanswered, until one is registered: the
 * service redelivers on connect, usually before the application has registered its handlers.
 */
export class DeliveryRouter {
  private readonly messageHandlers: MessageHandler[] = [];
  private readonly subscribers = new Map<string, EventHandler[]>();
  private readonly requestHandlers = new Map<string, RequestHandler>();
  private readonly held = new Map<string, { envelope: Envelope; acks: AckCallback[] }>();
  private readonly log: DeliveryLog;
  private readonly maxHeld: number;

  constructor(options: DeliveryRouterOptions = {}) {
    this.log = new DeliveryLog(options);
    this.maxHeld = options.maxHeld ?? 1000;
  }

  onMessage(handler: MessageHandler): () => void {
    this.messageHandlers.push(handler);
    this.releaseHeld();
    return () => remove(this.messageHandlers, handler);
  }

  /** `type` '*' receives every event. */
  subscribe(type: string, handler: EventHandler): () => void {
    const list = this.subscribers.get(type) ?? [];
    list.push(handler);
    this.subscribers.set(type, list);
    this.releaseHeld();
    return () => remove(list, handler);
  }

  /** `type` '*' answers the requests no other handler takes. */
  handle(type: string, handler: RequestHandler): () => void {
    if (this.requestHandlers.has(type))
      throw new Error(`a handler for '${type}' is already registered`);
    this.requestHandlers.set(type, handler);
    this.releaseHeld();
    return () => {
      if (this.requestHandlers.get(type) === handler) this.requestHandlers.delete(type);
    };
  }

  /** One delivery from the socket; `ack` is called once with the answer, unless it is held. */
  receive(envelope: Envelope, ack: AckCallback): void {
    const held = this.held.get(envelope.id);
    if (held) {
      held.acks.push(ack);
      return;
    }
    const run = this.handlerFor(envelope);
    if (!run && !this.log.has(envelope.id)) {
      this.hold(envelope, ack);
      return;
    }
    void this.log.answer(envelope.id, () => settle(run!)).then(ack);
  }

  private handlerFor(envelope: Envelope): (() => Promise<unknown>) | undefined {
    if (envelope.kind === 'message') {
      const handlers = [...this.messageHandlers];
      if (handlers.length === 0) return undefined;
      return async () => {
        for (const handler of handlers) await handler(envelope);
      };
    }
    if (envelope.kind === 'event') {
      const handlers = [
        ...(this.subscribers.get(envelope.type) ?? []),
        ...(this.subscribers.get('*') ?? []),
      ];
      if (handlers.length === 0) return undefined;
      return async () => {
        for (const handler of handlers) await handler(envelope.payload, envelope);
      };
    }
    const handler = this.requestHandlers.get(envelope.type) ?? this.requestHandlers.get('*');
    return handler && (() => Promise.resolve(handler(envelope.payload, envelope)));
  }

  private hold(envelope: Envelope, ack: AckCallback): void {
    this.held.set(envelope.id, { envelope, acks: [ack] });
    // Dropped deliveries stay pending on the service and come again on the next connect.
    for (const id of this.held.keys()) {
      if (this.held.size <= this.maxHeld) break;
      this.held.delete(id);
    }
  }

  private releaseHeld(): void {
    for (const [id, { envelope, acks }] of this.held) {
      const run = this.handlerFor(envelope);
      if (!run) continue;
      this.held.delete(id);
      void this.log.answer(id, () => settle(run)).then((answer) => acks.forEach((a) => a(answer)));
    }
  }
}

/** Runs a handler and turns its outcome into the ack answer: result, or the error's code. */
async function settle(run: () => Promise<unknown>): Promise<Answer> {
  try {
    const result = await run();
    return { ok: true, result: result === undefined ? null : result };
  } catch (error) {
    return { ok: false, error: toWireError(error) };
  }
}

function toWireError(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' && ERROR_CODE.test(e.code) ? e.code : 'HANDLER_FAILED';
  const message = typeof e?.message === 'string' && e.message ? e.message : String(error);
  return { code, message };
}

function remove<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}
