import { BaseColleague } from '../colleague';
import type { Envelope, JsonValue, MediatorKind } from '../model';
import type { RegisterServiceInput } from './service/service-registry';
import { type NotificationChannel, notificationHandlerType } from './notification/notification';
import type { Task } from './task/task';
import type { TaskWorker } from './task/task-queue';

/** A request as a handler sees it. */
export interface IncomingRequest<T extends JsonValue = JsonValue> {
  /** The stored request's id; `correlationId` ties the reply to it. */
  id: string;
  correlationId: string | null;
  kind: MediatorKind;
  type: string;
  senderId: string;
  data: T;
}

/**
 * A colleague that answers requests of the types in `handles`; what `handleRequest` returns
 * (or the MediatorError it throws) is the reply. Plain messages go to `onMessage`.
 */
export abstract class RequestHandler extends BaseColleague {
  readonly handles: string[];

  constructor(id: string, handles: string[], type: MediatorKind, name: string = id) {
    super(id, name, type);
    this.handles = [...handles];
  }

  protected handle(envelope: Envelope): unknown {
    if (envelope.kind === 'message' || envelope.kind === 'event') return this.onMessage(envelope);
    return this.handleRequest(toRequest(envelope));
  }

  protected onMessage(_envelope: Envelope): unknown {
    return undefined;
  }

  protected abstract handleRequest(request: IncomingRequest): unknown;
}

export abstract class CommandHandler extends RequestHandler {
  constructor(id: string, commandTypes: string[], name?: string) {
    super(id, commandTypes, 'command', name);
  }
  protected handleRequest(request: IncomingRequest): unknown {
    return this.execute(request);
  }
  abstract execute(command: IncomingRequest): unknown;
}

export abstract class QueryHandler extends RequestHandler {
  constructor(id: string, queryTypes: string[], name?: string) {
    super(id, queryTypes, 'query', name);
  }
  protected handleRequest(request: IncomingRequest): unknown {
    return this.query(request);
  }
  abstract query(query: IncomingRequest): unknown;
}

/** What a channel handler gets to deliver. */
export interface NotificationDelivery {
  id: string;
  type: string;
  channel: NotificationChannel;
  recipientId: string;
  content: JsonValue;
  attempt: number;
}

/** Delivers notifications of its channels; throwing makes the attempt fail (and retry). */
export abstract class NotificationHandler extends RequestHandler {
  constructor(id: string, channels: NotificationChannel[], name?: string) {
    super(id, channels.map(notificationHandlerType), 'notification', name);
  }
  protected handleRequest(request: IncomingRequest): unknown {
    const d = request.data as Record<string, JsonValue>;
    return this.deliver({
      id: String(d.id),
      type: String(d.type),
      channel: d.channel as NotificationChannel,
      recipientId: String(d.recipient_id),
      content: d.content,
      attempt: Number(d.attempt),
    });
  }
  abstract deliver(notification: NotificationDelivery): unknown;
}

/** What a step (or compensation) handler gets. */
export interface WorkflowStepRun {
  workflowId: string;
  workflow: string;
  step: string;
  /** The step's type, or its compensate type when undoing. */
  type: string;
  attempt: number;
  data: JsonValue;
  /** Replies of the steps completed so far, by step name. */
  results: Record<string, JsonValue>;
}

/** Runs workflow steps (and compensations) of its types; the return value is the step's result. */
export abstract class WorkflowHandler extends RequestHandler {
  constructor(id: string, stepTypes: string[], name?: string) {
    super(id, stepTypes, 'workflow', name);
  }
  protected handleRequest(request: IncomingRequest): unknown {
    const d = request.data as Record<string, JsonValue>;
    return this.runStep({
      workflowId: String(d.workflow_id),
      workflow: String(d.workflow),
      step: String(d.step),
      type: request.type,
      attempt: Number(d.attempt),
      data: d.data,
      results: (d.results ?? {}) as Record<string, JsonValue>,
    });
  }
  abstract runStep(step: WorkflowStepRun): unknown;
}

/** A worker: `mediator.tasks.process(worker)` claims a task of its types and runs `process`. */
export abstract class TaskHandler extends BaseColleague implements TaskWorker {
  readonly handles: string[];
  constructor(id: string, taskTypes: string[], name?: string) {
    super(id, name, 'task');
    this.handles = [...taskTypes];
  }
  protected handle(_envelope: Envelope): unknown {
    return undefined;
  }
  abstract process(task: Task): unknown;
}

/** Runs the commands that jobs send on their ticks (jobs with target `command`). */
export abstract class JobHandler extends RequestHandler {
  constructor(id: string, jobTypes: string[], name?: string) {
    super(id, jobTypes, 'job', name);
  }
  protected handleRequest(request: IncomingRequest): unknown {
    return this.run(request);
  }
  abstract run(tick: IncomingRequest): unknown;
}

/**
 * A colleague that is a service of the registry: `registration()` is what
 * `mediator.services.register` needs, and it answers requests of its `handles`.
 */
export abstract class ServiceHandler extends RequestHandler {
  constructor(
    id: string,
    readonly service: Omit<RegisterServiceInput, 'name'> & { name?: string },
    handles: string[] = [],
  ) {
    super(id, handles, 'service');
  }
  registration(): RegisterServiceInput {
    return { ...this.service, name: this.service.name ?? this.id };
  }
  protected handleRequest(request: IncomingRequest): unknown {
    return this.serve(request);
  }
  abstract serve(request: IncomingRequest): unknown;
}

/** A colleague that answers requests about resources it manages (e.g. `allocate_gpu`). */
export abstract class ResourceHandler extends RequestHandler {
  constructor(id: string, handles: string[], name?: string) {
    super(id, handles, 'resource', name);
  }
  protected handleRequest(request: IncomingRequest): unknown {
    return this.serve(request);
  }
  abstract serve(request: IncomingRequest): unknown;
}

/** The id of the last events seen, so a redelivered event is not handled twice. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    // A Set iterates in insertion order, so the first one is the oldest.
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
  }
  delete(id: string): void {
    this.ids.delete(id);
  }
}

/** An event as a subscriber sees it. */
export interface ReceivedEvent<T extends JsonValue = JsonValue> {
  id: string;
  type: string;
  senderId: string;
  data: T;
  publishedAt: Date;
}

/**
 * Subscribes to event types (none: every event) and handles each event once, even when a
 * transport delivers it again (at-least-once): ids already handled are skipped.
 */
export abstract class EventHandler extends BaseColleague {
  readonly subscriptions: string[];
  private readonly handled: RecentIds;

  constructor(id: string, subscriptions: string[] = [], name?: string, rememberIds = 10_000) {
    super(id, name, 'event');
    this.subscriptions = [...subscriptions];
    this.handled = new RecentIds(rememberIds);
  }

  protected async handle(envelope: Envelope): Promise<void> {
    if (envelope.kind !== 'event' || this.handled.has(envelope.id)) return;
    this.handled.add(envelope.id);
    try {
      await this.on({
        id: envelope.id,
        type: envelope.type,
        senderId: envelope.senderId,
        data: envelope.payload,
        publishedAt: envelope.createdAt,
      });
    } catch (error) {
      // Not handled after all: a redelivery may try again.
      this.handled.delete(envelope.id);
      throw error;
    }
  }

  abstract on(event: ReceivedEvent): unknown;
}

function toRequest(envelope: Envelope): IncomingRequest {
  return {
    id: envelope.id,
    correlationId: envelope.correlationId,
    kind: envelope.kind,
    type: envelope.type,
    senderId: envelope.senderId,
    data: envelope.payload,
  };
}
