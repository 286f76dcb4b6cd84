import type { JsonValue } from '../model';
import { NOTIFICATION_CHANNELS, type NotificationChannel } from './notification/notification';
import type { MisfirePolicy, JobTarget } from './job/job';

/**
 * The messages of the original examples, as small classes: subclass them to name your own
 * (`class UserCreated extends BaseEvent { constructor(user) { super('user_created', user) } }`)
 * and hand them to the mediator (`publish`, `execute`, `query`, `notifications.send`,
 * `workflows.start`).
 */
export class BaseEvent<T extends JsonValue = JsonValue> {
  constructor(
    readonly type: string,
    readonly data: T,
    /** Give the id to make a re-publish (a retry) a duplicate that is not delivered again. */
    readonly id?: string,
  ) {}
}

export class BaseCommand<T extends JsonValue = JsonValue> {
  constructor(
    readonly type: string,
    readonly data: T,
    readonly timeoutMs?: number,
  ) {}
}

export class BaseQuery<T extends JsonValue = JsonValue> {
  constructor(
    readonly type: string,
    readonly data: T,
    readonly timeoutMs?: number,
    /** How long the answer is cached; defaults to the mediator's `queryCacheTtl`. */
    readonly cacheTtlMs?: number,
  ) {}
}

export class BaseNotification {
  constructor(
    readonly channel: NotificationChannel,
    readonly recipientId: string,
    readonly content: JsonValue,
    readonly type: string = 'notification',
    readonly retryCount?: number,
  ) {}

  static readonly channels = NOTIFICATION_CHANNELS;
}

export class WorkflowStep {
  constructor(
    readonly name: string,
    /** The type whose handler runs the step. */
    readonly type: string,
    /** The type whose handler undoes the step when a later one fails. */
    readonly compensate?: string,
    /** Retries of this step before the workflow fails; defaults to the workflow's. */
    readonly retryCount?: number,
  ) {}
}

export class BaseWorkflow {
  constructor(
    readonly name: string,
    readonly steps: WorkflowStep[],
    readonly data: JsonValue = null,
    readonly retryCount?: number,
  ) {}
}

export class BaseJob {
  constructor(
    readonly name: string,
    /** The task or command type submitted on every tick. */
    readonly type: string,
    /** Cron, 5 fields (minute precision) or 6 (seconds first). */
    readonly schedule: string,
    readonly payload: JsonValue = null,
    readonly target: JobTarget = 'task',
    readonly misfire: MisfirePolicy = 'skip',
  ) {}
}
