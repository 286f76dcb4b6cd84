import { type ColleagueRegistration, type MediatorHandle, isReceiver } from './colleague';
import { type MediatorConfig, DEFAULT_MEDIATOR_CONFIG } from './config';
import {
  ColleagueInactiveError,
  ColleagueNotFoundError,
  HandlerFailedError,
  MaxColleaguesReachedError,
  MediatorError,
  NoHandlerError,
  RequestTimeoutError,
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
  LifecycleEventPublisher,
  MessageStore,
  RequestPort,
  systemClock,
} from './ports';
import { type DispatchContext, type PipelineBehaviour, runPipeline } from './pipeline';
import { RoundRobin, chooseHandler, subscribersOf } from './routing';
import { type Scheduler, systemScheduler } from './timing';
import type { BaseCommand, BaseEvent, BaseQuery } from './kinds/base-messages';
import {
  type EventHistoryQuery,
  EventStore,
  InMemoryEventStore,
  type StoredEvent,
} from './kinds/event/event-log';
import type { KindHost } from './kinds/kind-host';
import { InMemoryReplyCache, ReplyCache, queryCacheKey } from './kinds/query/reply-cache';
import {
  NotificationCenter,
  type NotificationOptions,
} from './kinds/notification/notification-center';
import {
  InMemoryNotificationStore,
  NotificationStore,
} from './kinds/notification/notification-store';
import { WorkflowEngine, type WorkflowOptions } from './kinds/workflow/workflow-engine';
import { InMemoryWorkflowStore, WorkflowStore } from './kinds/workflow/workflow-store';
import { ServiceRegistry } from './kinds/service/service-registry';
import { InMemoryServiceStore, ServiceStore } from './kinds/service/service-store';
import { ResourceManager } from './kinds/resource/resource-manager';
import { InMemoryResourceStore, ResourceStore } from './kinds/resource/resource-store';
import { TaskQueue, type TaskQueueOptions } from './kinds/task/task-queue';
import { InMemoryTaskStore, TaskStore } from './kinds/task/task-store';
import { JobScheduler, type JobSchedulerOptions } from './kinds/job/job-scheduler';
import { InMemoryJobStore, JobStore } from './kinds/job/job-store';

export interface MediatorPorts {
  directory: ColleagueDirectory;
  messages: MessageStore;
  delivery: DeliveryPort;
  clock?: Clock;
  ids?: IdGenerator;
  /** Needed by `request` and every kind that runs handlers (commands, queries, steps, …). */
  requests?: RequestPort;
  /** Lifecycle events that belong to no stored change (command_completed, query_completed). */
  lifecycle?: LifecycleEventPublisher;
  scheduler?: Scheduler;
}

/** The state of each kind. In process, missing ones are kept in memory; with ports, a kind
 * whose store is missing fails when used (the service must not silently keep state in memory). */
export interface KindStores {
  eventLog: EventStore;
  replyCache: ReplyCache;
  notifications: NotificationStore;
  workflows: WorkflowStore;
  services: ServiceStore;
  resources: ResourceStore;
  tasks: TaskStore;
  jobs: JobStore;
}

/**
 * Which kind each store belongs to: what the service must bind before it starts (a missing one
 * is named at boot), and the kind the error names.
 */
export const STORE_KINDS: Readonly<Record<keyof KindStores, MediatorKind>> = {
  eventLog: 'event',
  replyCache: 'query',
  notifications: 'notification',
  workflows: 'workflow',
  services: 'service',
  resources: 'resource',
  tasks: 'task',
  jobs: 'job',
};

export interface KindOptions {
  notifications?: Partial<NotificationOptions>;
  workflows?: Partial<WorkflowOptions>;
  tasks?: Partial<TaskQueueOptions>;
  jobs?: Partial<JobSchedulerOptions>;
}

export interface ConcreteMediatorOptions {
  /** The mediator's name; in process it defaults to `default`. */
  name?: string;
  /** This mediator's own colleague limit; defaults to `config.maxColleagues`. */
  maxColleagues?: number;
  /** Real adapters (the service); without them the mediator keeps everything in memory. */
  ports?: MediatorPorts;
  stores?: Partial<KindStores>;
  kinds?: KindOptions;
  /** In process: a clock and timers (e.g. a ManualClock) to drive time in tests. */
  clock?: Clock;
  scheduler?: Scheduler;
  /**
   * Handler turn counters. The service creates mediators per call, so it passes one RoundRobin
   * per named mediator to keep the rotation going.
   */
  roundRobin?: RoundRobin;
}

export interface RequestOptions {
  /** `command` (default), `query` (cached), or another kind that is answered by a handler. */
  kind?: MediatorKind;
  /** Default: `config.timeout`. */
  timeoutMs?: number;
  /** Queries only; default `config.queryCacheTtl`. */
  cacheTtlMs?: number;
  headers?: Record<string, string>;
}

export interface PublishOptions {
  /** The event's id; publishing an id again is a redelivery and reaches nobody twice. */
  id?: string;
  headers?: Record<string, string>;
}

export interface PublishResult extends StoredEvent {
  /** True when the id had been published before, so nothing was delivered this time. */
  duplicate: boolean;
}

const REQUEST_KINDS: readonly MediatorKind[] = MEDIATOR_KINDS.filter(
  (k) => k !== 'message' && k !== 'event',
);
const DEFAULT_QUERY_CACHE_TTL_MS = 60_000;

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
  private readonly scheduler: Scheduler;
  private readonly requests?: RequestPort;
  private readonly lifecycle?: LifecycleEventPublisher;
  private readonly local?: { delivery: LocalDelivery; events: EventFanOut };
  private readonly stores: Partial<KindStores>;
  private readonly kindOptions: KindOptions;
  private readonly roundRobin: RoundRobin;
  private readonly behaviours: PipelineBehaviour[] = [];
  private readonly kinds: {
    notifications?: NotificationCenter;
    workflows?: WorkflowEngine;
    services?: ServiceRegistry;
    resources?: ResourceManager;
    tasks?: TaskQueue;
    jobs?: JobScheduler;
  } = {};
  /** What the kinds use of this mediator. */
  readonly host: KindHost;

  constructor(config: Partial<MediatorConfig> = {}, options: ConcreteMediatorOptions = {}) {
    this.config = { ...DEFAULT_MEDIATOR_CONFIG, ...config };
    this.name = options.name ?? 'default';
    this.maxColleagues = options.maxColleagues ?? this.config.maxColleagues;
    this.roundRobin = options.roundRobin ?? new RoundRobin();
    this.kindOptions = options.kinds ?? {};
    if (options.ports) {
      ({
        directory: this.directory,
        messages: this.messages,
        delivery: this.delivery,
        requests: this.requests,
        lifecycle: this.lifecycle,
      } = options.ports);
      this.clock = options.ports.clock ?? options.clock ?? systemClock;
      this.ids = options.ports.ids ?? new UuidV7Generator();
      this.scheduler = options.ports.scheduler ?? options.scheduler ?? systemScheduler;
      this.stores = { ...options.stores };
    } else {
      const events = new EventFanOut();
      const delivery = new LocalDelivery();
      this.local = { delivery, events };
      this.directory = new InMemoryColleagueDirectory(events);
      this.messages = new InMemoryMessageStore(events);
      this.delivery = delivery;
      this.requests = delivery;
      this.clock = options.clock ?? systemClock;
      this.ids = new UuidV7Generator();
      this.scheduler = options.scheduler ?? systemScheduler;
      this.stores = { ...inMemoryStores(events, this.clock), ...options.stores };
    }
    this.host = this.createHost();
  }

  /** Adds a pipeline behaviour around every dispatch; the first added runs outermost. */
  use(behaviour: PipelineBehaviour): this {
    this.behaviours.push(behaviour);
    return this;
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
      this.maxColleagues,
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

  /**
   * Sends `payload` from one colleague to another: stored first (already as delivered when the
   * recipient is reachable now), then pushed.
   */
  async sendMessage(
    senderId: string,
    recipientId: string,
    payload: JsonValue,
    options: SendOptions = {},
  ): Promise<Envelope> {
    validateSendOptions(options);
    if (this.behaviours.length === 0) return this.send(senderId, recipientId, payload, options);
    const context = this.context('send', options.kind ?? 'message', options.type ?? 'direct');
    return runPipeline(this.behaviours, { ...context, senderId, recipientId, data: payload }, () =>
      this.send(senderId, recipientId, payload, options),
    );
  }

  private async send(
    senderId: string,
    recipientId: string,
    payload: JsonValue,
    options: SendOptions,
  ): Promise<Envelope> {
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
    const reachable = await this.delivery.reachableRecipients(envelope, [recipientId]);
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
      reachable,
    );
    if (saved.created) await this.delivery.deliver(saved.envelope, [recipientId], reachable);
    return saved.envelope;
  }

  /** Sends `payload` to every active colleague except the sender. */
  async broadcastMessage(
    senderId: string,
    payload: JsonValue,
    options: SendOptions = {},
  ): Promise<BroadcastEnvelope> {
    validateSendOptions(options);
    if (this.behaviours.length === 0) return this.broadcast(senderId, payload, options);
    const context = this.context(
      'broadcast',
      options.kind ?? 'message',
      options.type ?? 'broadcast',
    );
    return runPipeline(this.behaviours, { ...context, senderId, data: payload }, () =>
      this.broadcast(senderId, payload, options),
    );
  }

  private async broadcast(
    senderId: string,
    payload: JsonValue,
    options: SendOptions,
  ): Promise<BroadcastEnvelope> {
    const sender = await this.directory.find(this.name, senderId);
    if (!sender) throw new ColleagueNotFoundError(this.name, senderId, 'sender');
    if (!sender.active) throw new ColleagueInactiveError(this.name, senderId);

    const recipients = (await this.directory.listActive(this.name))
      .filter((c) => c.id !== senderId)
      .map((c) => c.id);
    const envelope = this.envelope(senderId, null, payload, options);
    const reachable = await this.delivery.reachableRecipients(envelope, recipients);
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
      reachable,
    );
    if (saved.created) await this.delivery.deliver(saved.envelope, recipients, reachable);
    return { ...saved.envelope, recipients: recipients.length };
  }

  /**
   * Request/reply: sends `data` to exactly one handler of `type` (round-robin over the online
   * ones) and resolves with its reply. Rejects with NO_HANDLER when none is online,
   * REQUEST_TIMEOUT after `timeoutMs`, or the MediatorError the handler answered with.
   * A query's reply is cached by type and canonical data; a cached answer skips the handler.
   */
  async request(
    senderId: string,
    type: string,
    data: JsonValue,
    options: RequestOptions = {},
  ): Promise<unknown> {
    const kind = options.kind ?? 'command';
    validateRequest(kind, type);
    await this.requireActiveSender(senderId);
    return this.dispatchRequest(senderId, kind, type, data, options);
  }

  /** A command (BaseCommand) for its one handler; resolves with the reply. */
  execute(senderId: string, command: BaseCommand): Promise<unknown> {
    return this.request(senderId, command.type, command.data, {
      kind: 'command',
      timeoutMs: command.timeoutMs,
    });
  }

  /** A query (BaseQuery); answered from the cache while a reply for the same data is fresh. */
  query(senderId: string, query: BaseQuery): Promise<unknown> {
    return this.request(senderId, query.type, query.data, {
      kind: 'query',
      timeoutMs: query.timeoutMs,
      cacheTtlMs: query.cacheTtlMs,
    });
  }

  /**
   * Publishes an event to every active subscriber of its type (colleagues without
   * subscriptions get every event), the publisher excluded. Publishing an id again delivers
   * nothing: that is a redelivery, and the first publication is returned.
   */
  async publishEvent(
    senderId: string,
    type: string,
    data: JsonValue,
    options: PublishOptions = {},
  ): Promise<PublishResult> {
    validateType(type);
    await this.requireActiveSender(senderId);
    const publish = () => this.publishToSubscribers(senderId, type, data, options);
    if (this.behaviours.length === 0) return publish();
    const context = { ...this.context('publish', 'event', type), senderId, data };
    return runPipeline(this.behaviours, context, publish);
  }

  /** `publishEvent` for a BaseEvent. */
  publish(senderId: string, event: BaseEvent): Promise<PublishResult> {
    return this.publishEvent(senderId, event.type, event.data, { id: event.id });
  }

  /** Published events, oldest first (the last `limit`, default 100), optionally of one type. */
  eventHistory(query: EventHistoryQuery = {}): Promise<StoredEvent[]> {
    return this.store('eventLog').history(this.name, query);
  }

  get notifications(): NotificationCenter {
    return (this.kinds.notifications ??= new NotificationCenter(
      this.host,
      this.store('notifications'),
      this.kindOptions.notifications,
    ));
  }

  get workflows(): WorkflowEngine {
    return (this.kinds.workflows ??= new WorkflowEngine(
      this.host,
      this.store('workflows'),
      this.kindOptions.workflows,
    ));
  }

  /** Resumes the unfinished workflows whose runner is gone (after a restart). */
  resumeWorkflows() {
    return this.workflows.resumeWorkflows();
  }

  get services(): ServiceRegistry {
    return (this.kinds.services ??= new ServiceRegistry(this.host, this.store('services')));
  }

  get resources(): ResourceManager {
    return (this.kinds.resources ??= new ResourceManager(this.host, this.store('resources')));
  }

  get tasks(): TaskQueue {
    return (this.kinds.tasks ??= new TaskQueue(
      this.host,
      this.store('tasks'),
      this.kindOptions.tasks,
    ));
  }

  get jobs(): JobScheduler {
    const tasks = this.stores.tasks ? this.tasks : null;
    return (this.kinds.jobs ??= new JobScheduler(
      this.host,
      this.store('jobs'),
      tasks,
      this.kindOptions.jobs,
    ));
  }

  private dispatchRequest(
    senderId: string,
    kind: MediatorKind,
    type: string,
    data: JsonValue,
    options: RequestOptions,
  ): Promise<unknown> {
    const context = { ...this.context('request', kind, type), senderId, data };
    const run = () =>
      kind === 'query' ? this.cachedQuery(context, options) : this.requestHandler(context, options);
    return this.behaviours.length === 0 ? run() : runPipeline(this.behaviours, context, run);
  }

  private async cachedQuery(context: DispatchContext, options: RequestOptions): Promise<unknown> {
    const cache = this.store('replyCache');
    const key = queryCacheKey(this.name, context.type, context.data);
    const cached = await cache.get(key);
    context.items.set('cache', cached ? 'hit' : 'miss');
    if (cached) return cached.reply;
    const reply = await this.requestHandler(context, options);
    const ttl = options.cacheTtlMs ?? this.config.queryCacheTtl ?? DEFAULT_QUERY_CACHE_TTL_MS;
    await cache.set(key, reply, ttl);
    return reply;
  }

  private async requestHandler(context: DispatchContext, options: RequestOptions) {
    const requests = this.requirePort(this.requests, 'requests');
    const { kind, type, senderId, data } = context;
    const handlerId = await this.chooseHandlerId(requests, type);
    context.items.set('handlerId', handlerId);
    const draft = this.envelope(senderId, handlerId, data, {
      kind,
      type,
      headers: options.headers,
    });
    draft.correlationId = draft.id;
    const { envelope } = await this.messages.save(
      draft,
      [handlerId],
      undefined,
      this.event('message_sent', messageEventData(draft)),
    );
    const reply = await this.awaitReply(requests, envelope, handlerId, options.timeoutMs);
    if (kind === 'command' || kind === 'query') {
      await this.publishLifecycle(
        this.event(`${kind}_completed`, { ...messageEventData(envelope), handler_id: handlerId }),
      );
    }
    return reply;
  }

  private async chooseHandlerId(requests: RequestPort, type: string): Promise<string> {
    const colleagues = await this.directory.listActive(this.name);
    const candidates = colleagues.filter((c) => c.handles.includes(type)).map((c) => c.id);
    const online = new Set(
      candidates.length ? await requests.reachable(this.name, candidates) : [],
    );
    const turn = this.roundRobin.nextTurn(type);
    const chosen = chooseHandler(colleagues, type, turn, (c) => online.has(c.id));
    if (!chosen) throw new NoHandlerError(this.name, type);
    return chosen.id;
  }

  /** Waits for the reply, at most `timeoutMs`; a late reply is dropped. */
  private awaitReply(
    requests: RequestPort,
    envelope: Envelope,
    handlerId: string,
    timeoutMs = this.config.timeout,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const cancelTimer = this.scheduler.after(timeoutMs, () => {
        requests.cancel(envelope);
        reject(new RequestTimeoutError(envelope.type, timeoutMs));
      });
      requests.request(envelope, handlerId).then(
        (reply) => {
          cancelTimer();
          resolve(reply);
        },
        (error: unknown) => {
          cancelTimer();
          reject(asMediatorError(envelope.type, error));
        },
      );
    });
  }

  private async publishToSubscribers(
    senderId: string,
    type: string,
    data: JsonValue,
    options: PublishOptions,
  ): Promise<PublishResult> {
    const subscribers = subscribersOf(await this.directory.listActive(this.name), type, senderId);
    const envelope = this.envelope(senderId, null, data, {
      kind: 'event',
      type,
      headers: options.headers,
    });
    if (options.id !== undefined) envelope.id = options.id;
    const recipientIds = subscribers.map((c) => c.id);
    const stored: StoredEvent = {
      id: envelope.id,
      mediator: this.name,
      type,
      senderId,
      data: envelope.payload,
      headers: envelope.headers,
      publishedAt: envelope.createdAt,
      recipientIds,
    };
    const { event, created } = await this.store('eventLog').append(
      stored,
      this.event('event_published', {
        id: stored.id,
        type,
        sender_id: senderId,
        recipients: recipientIds.length,
      }),
    );
    const first = created ? null : await this.storedDeliveries(event);
    if (first) return { ...event, duplicate: true };
    // Each subscriber's delivery is a message of its inbox until acked, redelivered on
    // reconnect under the event's id, so a subscriber recognises a redelivery by that id. A
    // publish that stopped before this point is completed by the next publish of the same id.
    const delivery: Envelope = {
      ...envelope,
      type: event.type,
      senderId: event.senderId,
      payload: event.data,
      headers: event.headers,
      createdAt: event.publishedAt,
    };
    const reachable = await this.delivery.reachableRecipients(delivery, event.recipientIds);
    const saved = await this.messages.save(
      delivery,
      event.recipientIds,
      eventDeliveryKey(event.id),
      null,
      reachable,
    );
    if (saved.created) await this.delivery.deliver(delivery, event.recipientIds, reachable);
    return { ...event, duplicate: !saved.created };
  }

  /** The deliveries of an event published before; null if that publish stopped before storing them. */
  private storedDeliveries(event: StoredEvent): Promise<Envelope | null> {
    return this.messages.findByIdempotencyKey(
      this.name,
      event.senderId,
      eventDeliveryKey(event.id),
    );
  }

  private async requireActiveSender(senderId: string): Promise<ColleagueInfo> {
    const sender = await this.directory.find(this.name, senderId);
    if (!sender) throw new ColleagueNotFoundError(this.name, senderId, 'sender');
    if (!sender.active) throw new ColleagueInactiveError(this.name, senderId);
    return sender;
  }

  private context(
    operation: DispatchContext['operation'],
    kind: MediatorKind,
    type: string,
  ): DispatchContext {
    return {
      mediator: this.name,
      operation,
      kind,
      type,
      senderId: '',
      recipientId: null,
      data: null,
      items: new Map(),
    };
  }

  private createHost(): KindHost {
    return {
      name: this.name,
      clock: this.clock,
      scheduler: this.scheduler,
      newId: () => this.ids.next(),
      event: (event, data) => this.event(event, data),
      // The mediator itself is the sender: no colleague check, but the pipeline still runs.
      requestAsMediator: (kind, type, data, timeoutMs) =>
        this.dispatchRequest(`mediator:${kind}`, kind, type, data, { kind, timeoutMs }),
    };
  }

  private store<K extends keyof KindStores>(name: K): KindStores[K] {
    return this.requirePort(this.stores[name] as KindStores[K] | undefined, `stores.${name}`);
  }

  private requirePort<T>(port: T | undefined, name: string): T {
    if (!port) {
      throw new Error(
        `mediator '${this.name}' was built without ${name}, which this operation needs`,
      );
    }
    return port;
  }

  private async publishLifecycle(event: LifecycleEvent): Promise<void> {
    if (this.local) this.local.events.emit(event);
    else await this.lifecycle?.publish(event);
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

function validateRequest(kind: MediatorKind, type: string): void {
  if (!REQUEST_KINDS.includes(kind)) {
    throw new ValidationError('invalid request kind', [
      { field: 'kind', problem: `must be one of ${REQUEST_KINDS.join(', ')}` },
    ]);
  }
  validateType(type);
}

function validateType(type: string): void {
  if (typeof type !== 'string' || type === '' || type.length > 200) {
    throw new ValidationError('invalid type', [
      { field: 'type', problem: 'must be a non-empty string of at most 200 characters' },
    ]);
  }
}

/** A handler's failure as the requester sees it: a domain error, or HANDLER_FAILED. */
function asMediatorError(type: string, error: unknown): MediatorError {
  if (error instanceof MediatorError) return error;
  return new HandlerFailedError(type, error instanceof Error ? error.message : String(error));
}

/** The idempotency key of an event's deliveries: one set of deliveries per event id. */
function eventDeliveryKey(eventId: string): string {
  return `event:${eventId}`;
}

function messageEventData(e: Envelope): Record<string, unknown> {
  return {
    id: e.id,
    sender_id: e.senderId,
    recipient_id: e.recipientId,
    kind: e.kind,
    type: e.type,
    correlation_id: e.correlationId,
  };
}

function inMemoryStores(events: EventFanOut, clock: Clock): KindStores {
  return {
    eventLog: new InMemoryEventStore(events),
    replyCache: new InMemoryReplyCache(clock),
    notifications: new InMemoryNotificationStore(events),
    workflows: new InMemoryWorkflowStore(events),
    services: new InMemoryServiceStore(events),
    resources: new InMemoryResourceStore(events),
    tasks: new InMemoryTaskStore(events),
    jobs: new InMemoryJobStore(events),
  };
}
