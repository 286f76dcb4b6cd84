import { Connection, type ConnectionOptions, type ConnectionState } from './connection';
import {
  DeliveryRouter,
  type DeliveryRouterOptions,
  type EventHandler,
  type MessageHandler,
  type RequestHandler,
} from './delivery-router';
import { RequestTimeoutError } from './errors';
import type { Client } from './generated/client';
import type { MediatorApi } from './generated/sdk.gen';
import type {
  BroadcastEnvelopeDto,
  EnvelopeDto,
  MessageStatusDto,
  PublishedEventDto,
  SendMessageDto,
} from './generated/types.gen';
import { createRestApi, type RestOptions } from './rest';
import { startWorker, type TaskHandler, type TaskWorker, type WorkOptions } from './task-worker';
import { bindingOf, currentToken } from './token';
import type { Envelope, Kind, LifecycleEvent } from './wire';

export interface ConnectOptions extends Omit<ConnectionOptions, 'token'>, RestOptions {
  /**
   * A JWT bound to the colleague (claims `mediator` and `colleague`), or a function that returns
   * the current one: it is called for every request and every reconnect, so it can refresh.
   */
  token: string | (() => string | Promise<string>);
  /** Default: the token's `mediator` claim. */
  mediator?: string;
  /**
   * The colleague this client is: the sender of what it sends, the receiver of its deliveries.
   * Default: the token's `colleague` claim.
   */
  colleague?: string;
  /** Duplicates of a handled delivery are suppressed this long (default 10 min), see DeliveryLog. */
  dedupWindowMs?: number;
  dedup?: Omit<DeliveryRouterOptions, 'windowMs'>;
}

export interface SendOptions {
  type?: string;
  kind?: Kind;
  headers?: Record<string, string>;
  /** A repeat with the same key returns the first envelope and delivers nothing twice. */
  idempotencyKey?: string;
}

export interface RequestOptions {
  /** How long the service waits for the handler (its `timeout_ms`); RequestTimeoutError after. */
  timeoutMs?: number;
}

/** How much longer than the service's own timeout the HTTP call may take. */
const REQUEST_GRACE_MS = 5000;

/**
 * One colleague of one mediator: sends and receives messages, handles and sends commands and
 * queries, publishes and subscribes to events, works tasks, and watches lifecycle events.
 * `api` reaches every REST operation of the service, typed from its OpenAPI document.
 *
 * ```ts
 * const me = await MediatorClient.connect(url, { token, mediator: 'shop', colleague: 'billing' });
 * me.handle('charge', async (order) => ({ charged: order.total }));
 * ```
 */
export class MediatorClient {
  /** Every REST operation: `me.api.mediators.get({ path: { name } })`, … */
  readonly api: MediatorApi;
  /** The underlying REST client (interceptors, base URL). */
  readonly rest: Client;
  readonly mediator: string;
  readonly colleague: string;
  private readonly router: DeliveryRouter;
  private readonly workers = new Set<TaskWorker>();

  private constructor(
    private readonly connection: Connection,
    options: ConnectOptions & { mediator: string; colleague: string },
    rest: { api: MediatorApi; client: Client },
  ) {
    this.api = rest.api;
    this.rest = rest.client;
    this.mediator = options.mediator;
    this.colleague = options.colleague;
    this.router = new DeliveryRouter({ ...options.dedup, windowMs: options.dedupWindowMs });
    // A delivery acked over a connection that has since closed would go out on the next one with
    // an id that means nothing there: such an ack is dropped, the redelivery is acked instead.
    connection.socket.on('message', (envelope: Envelope, ack?: (answer: unknown) => void) => {
      const session = connection.socket.id;
      this.router.receive(envelope, (answer) => {
        if (ack && connection.socket.connected && connection.socket.id === session) ack(answer);
      });
    });
  }

  /** Connects as `colleague` of `mediator`; rejects with UnauthorizedError for a refused token. */
  static async connect(url: string, options: ConnectOptions): Promise<MediatorClient> {
    const bound = { ...bindingOf(await currentToken(options.token)), ...withoutUndefined(options) };
    const { mediator, colleague } = bound;
    if (!mediator || !colleague)
      throw new TypeError('connect needs `mediator` and `colleague`, as options or token claims');
    const connection = new Connection(url, options);
    const client = new MediatorClient(
      connection,
      { ...options, mediator, colleague },
      createRestApi(url, options.token, options),
    );
    await connection.open();
    return client;
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  /** Connection changes: `reconnecting` after a loss, `connected` again, `disconnected` for good. */
  onConnectionState(listener: (state: ConnectionState, error?: Error) => void): () => void {
    return this.connection.onState(listener);
  }

  /** A direct message to another colleague; resolves once stored (at-least-once delivery). */
  send(recipient: string, message: unknown, options: SendOptions = {}): Promise<EnvelopeDto> {
    const body: SendMessageDto = {
      sender_id: this.colleague,
      recipient_id: recipient,
      message,
      type: options.type,
      kind: options.kind,
      headers: options.headers,
      idempotency_key: options.idempotencyKey,
    };
    return this.api.messages.send({ path: { name: this.mediator }, body: withoutUndefined(body) });
  }

  /** A message to every other active colleague of the mediator. */
  broadcast(
    message: unknown,
    options: Pick<SendOptions, 'type' | 'kind'> = {},
  ): Promise<BroadcastEnvelopeDto> {
    return this.api.messages.broadcast({
      path: { name: this.mediator },
      body: withoutUndefined({ sender_id: this.colleague, message, ...options }),
    });
  }

  /**
   * Asks for a delivery to this colleague again: one that is `dead` (refused or unanswered more
   * often than the service's `retry_count`), or not acknowledged yet. It arrives through
   * `onMessage` (or the matching handler) with its retries renewed.
   */
  redeliver(messageId: string): Promise<MessageStatusDto> {
    return this.api.messages.redeliver({
      path: { name: this.mediator, message_id: messageId },
      body: { recipient_id: this.colleague },
    });
  }

  /**
   * Messages to this colleague: acked when the handler resolves, refused when it throws (the
   * service delivers a refused message again after a backoff, then marks it `dead`).
   */
  onMessage<T = unknown>(handler: MessageHandler<T>): () => void {
    return this.router.onMessage(handler as MessageHandler);
  }

  /**
   * Answers requests of `type` (commands, queries, notifications, workflow steps) delivered to
   * this colleague: the handler's result is the reply; a thrown error (its `code` when
   * UPPER_SNAKE) fails the request. The colleague must list `type` in its `handles`.
   */
  handle<T = unknown, R = unknown>(type: string, handler: RequestHandler<T, R>): () => void {
    return this.router.handle(type, handler as RequestHandler);
  }

  /** Sends a command to the one handler of its type and resolves with the reply. */
  request<R = unknown>(type: string, data: unknown, options: RequestOptions = {}): Promise<R> {
    return this.ask('execute', type, data, options);
  }

  /** As `request`, for a query: a cached reply may answer without reaching the handler. */
  query<R = unknown>(type: string, data: unknown, options: RequestOptions = {}): Promise<R> {
    return this.ask('query', type, data, options);
  }

  /** Events of `type` (`'*'`: all) that reach this colleague (by its `subscriptions`). */
  subscribe<T = unknown>(type: string, handler: EventHandler<T>): () => void {
    return this.router.subscribe(type, handler as EventHandler);
  }

  /** Publishes an event to every subscriber of its type; `id` makes a retry a no-op. */
  publish(type: string, data: unknown, options: { id?: string } = {}): Promise<PublishedEventDto> {
    return this.api.events.publish({
      path: { name: this.mediator },
      body: withoutUndefined({ sender_id: this.colleague, type, data, id: options.id }),
    });
  }

  /** Works tasks of `type` as this colleague (claim, run, complete or fail) until stopped. */
  work<R = unknown>(type: string, handler: TaskHandler<R>, options: WorkOptions = {}): TaskWorker {
    const worker = startWorker(
      { api: this.api, mediator: this.mediator, workerId: this.colleague, type },
      handler,
      options,
    );
    // A submitted task wakes the workers at once instead of at their next poll.
    const unsubscribe = this.on<{ type?: string }>('task_submitted', (event) => {
      if (event.data?.type === type) worker.wake();
    });
    unsubscribe.ready.catch((error: unknown) => options.onError?.(error));
    const handle: TaskWorker = {
      wake: () => worker.wake(),
      stop: async () => {
        this.workers.delete(handle);
        unsubscribe();
        await worker.stop();
      },
    };
    this.workers.add(handle);
    return handle;
  }

  /**
   * Lifecycle events (`colleague_registered`, `message_sent`, `task_completed`, …) of this
   * mediator, or of `options.mediator` (`'*'`: all, for a token bound to no mediator).
   * The returned function stops listening; its `ready` settles once the service confirmed.
   */
  on<T = unknown>(
    event: string,
    listener: (event: LifecycleEvent<T>) => void,
    options: { mediator?: string } = {},
  ): (() => void) & { ready: Promise<void> } {
    const mediator = options.mediator ?? this.mediator;
    const wrapped = (payload: LifecycleEvent<T>) => {
      if (mediator === '*' || payload.mediator === mediator) listener(payload);
    };
    this.connection.socket.on(event, wrapped);
    const off = () => {
      this.connection.socket.off(event, wrapped);
    };
    const ready = this.connection.watch(mediator);
    // Marked handled here; whoever awaits `ready` still sees a refusal.
    ready.catch(() => undefined);
    return Object.assign(off, { ready });
  }

  /** Stops the workers (their tasks in hand finish) and closes the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.stop()));
    this.connection.close();
  }

  private async ask<R>(
    operation: 'execute' | 'query',
    type: string,
    data: unknown,
    options: RequestOptions,
  ): Promise<R> {
    const body = withoutUndefined({
      sender_id: this.colleague,
      type,
      data,
      timeout_ms: options.timeoutMs,
    });
    const limit =
      options.timeoutMs === undefined ? undefined : options.timeoutMs + REQUEST_GRACE_MS;
    try {
      const reply = await this.api.requests[operation]({
        path: { name: this.mediator },
        body,
        signal: limit === undefined ? undefined : AbortSignal.timeout(limit),
      });
      return reply.reply as R;
    } catch (error) {
      // The service did not answer in time either: the same outcome as its own 504.
      if ((error as Error | null)?.name === 'TimeoutError')
        throw new RequestTimeoutError({
          code: 'REQUEST_TIMEOUT',
          message: `no reply to '${type}' within ${limit} ms`,
        });
      throw error;
    }
  }
}

/** The service rejects unknown fields, and `undefined` ones are left out by JSON anyway. */
function withoutUndefined<T extends object>(body: T): T {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as T;
}
