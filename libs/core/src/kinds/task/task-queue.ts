import { InvalidStateError, TaskNotFoundError } from '../../errors';
import type { JsonValue } from '../../model';
import {
  type KindHost,
  errorMessage,
  requireInteger,
  requireName,
  requireNonNegativeInteger,
  requirePositiveInteger,
} from '../kind-host';
import { type Task, type TaskStatus, completeTask, failAttempt } from './task';
import type { TaskStore } from './task-store';

export interface SubmitTaskInput {
  name: string;
  type: string;
  priority?: number;
  data?: JsonValue;
  retryCount?: number;
  /** How long a worker may hold the task before it is given to another. */
  claimTimeoutMs?: number;
}

export interface ClaimInput {
  workerId: string;
  types?: string[];
}

/** What `process` needs of a worker: its id, the types it takes, and the work. */
export interface TaskWorker {
  readonly id: string;
  readonly handles?: string[];
  process(task: Task): unknown;
}

export interface TaskQueueOptions {
  retryCount: number;
  claimTimeoutMs: number;
}

const DEFAULTS: TaskQueueOptions = { retryCount: 3, claimTimeoutMs: 30_000 };

/**
 * A priority queue of tasks done by workers: higher priority first, FIFO within a priority,
 * each task held by one worker at a time. A claim not completed in time expires
 * (`expireClaims(now)`) and the task is retried up to `retryCount` times, then `dead`.
 */
export class TaskQueue {
  private readonly options: TaskQueueOptions;

  constructor(
    private readonly host: KindHost,
    private readonly store: TaskStore,
    options: Partial<TaskQueueOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async submit(input: SubmitTaskInput): Promise<Task> {
    validateSubmit(input);
    const now = this.host.clock.now();
    const task: Task = {
      id: this.host.newId(),
      mediator: this.host.name,
      name: input.name,
      type: input.type,
      priority: input.priority ?? 0,
      data: input.data ?? null,
      status: 'pending',
      attempts: 0,
      retryCount: input.retryCount ?? this.options.retryCount,
      claimTimeoutMs: input.claimTimeoutMs ?? this.options.claimTimeoutMs,
      claimedBy: null,
      claimExpiresAt: null,
      result: null,
      error: null,
      sequence: 0,
      submittedAt: now,
      updatedAt: now,
    };
    return this.store.add(task, this.lifecycle('task_submitted', task));
  }

  /** The next task for this worker, now held by it; null when the queue has none. */
  claim(input: ClaimInput): Promise<Task | null> {
    requireName('worker_id', input.workerId);
    const claim = { workerId: input.workerId, types: input.types, now: this.host.clock.now() };
    return this.store.claimNext(this.host.name, claim, (t) => this.lifecycle('task_claimed', t));
  }

  async complete(id: string, workerId: string, result: JsonValue = null): Promise<Task> {
    const claimed = await this.requireClaimedBy(id, workerId);
    const done = completeTask(claimed, result, this.host.clock.now());
    return this.write(done, claimed, [this.lifecycle('task_completed', done)]);
  }

  /** The worker gives up: the task is retried or, out of retries, dead. */
  async fail(id: string, workerId: string, error: string): Promise<Task> {
    const claimed = await this.requireClaimedBy(id, workerId);
    const next = failAttempt(claimed, error, this.host.clock.now());
    return this.write(next, claimed, this.failureEvents(next));
  }

  /** Returns expired claims to the queue (or marks them dead); returns the tasks it changed. */
  async expireClaims(now: Date = this.host.clock.now()): Promise<Task[]> {
    const changed: Task[] = [];
    for (const claimed of await this.store.listExpiredClaims(this.host.name, now)) {
      const next = failAttempt(claimed, `claim by '${claimed.claimedBy}' expired`, now);
      // false: the worker completed it, or another instance expired it, in the meantime.
      if (await this.store.transition(next, claimed, this.failureEvents(next))) changed.push(next);
    }
    return changed;
  }

  /** In process: claims one task of the worker's types, runs it, completes or fails it. */
  async process(worker: TaskWorker): Promise<Task | null> {
    const task = await this.claim({ workerId: worker.id, types: worker.handles });
    if (!task) return null;
    let result: unknown;
    try {
      result = await worker.process(task);
    } catch (error) {
      return this.fail(task.id, worker.id, errorMessage(error));
    }
    return this.complete(task.id, worker.id, result === undefined ? null : (result as JsonValue));
  }

  async get(id: string): Promise<Task> {
    const task = await this.store.find(this.host.name, id);
    if (!task) throw new TaskNotFoundError(this.host.name, id);
    return task;
  }

  list(status?: TaskStatus): Promise<Task[]> {
    return this.store.list(this.host.name, status);
  }

  private async requireClaimedBy(id: string, workerId: string): Promise<Task> {
    const task = await this.get(id);
    if (task.status !== 'claimed' || task.claimedBy !== workerId) {
      throw new InvalidStateError(
        `task '${id}' is ${task.status}${task.claimedBy ? ` by '${task.claimedBy}'` : ''}, not claimed by '${workerId}'`,
      );
    }
    return task;
  }

  private async write(next: Task, expected: Task, events: ReturnType<KindHost['event']>[]) {
    if (!(await this.store.transition(next, expected, events))) {
      throw new InvalidStateError(`task '${next.id}' changed meanwhile (its claim expired?)`);
    }
    return next;
  }

  private failureEvents(next: Task) {
    return [this.lifecycle(next.status === 'dead' ? 'task_dead' : 'task_retried', next)];
  }

  private lifecycle(event: string, t: Task) {
    return this.host.event(event, {
      id: t.id,
      name: t.name,
      type: t.type,
      priority: t.priority,
      status: t.status,
      attempts: t.attempts,
      ...(t.claimedBy ? { worker_id: t.claimedBy } : {}),
      ...(t.error ? { error: t.error } : {}),
    });
  }
}

function validateSubmit(input: SubmitTaskInput): void {
  requireName('name', input.name);
  requireName('type', input.type);
  if (input.priority !== undefined) requireInteger('priority', input.priority);
  if (input.retryCount !== undefined) requireNonNegativeInteger('retry_count', input.retryCount);
  if (input.claimTimeoutMs !== undefined) {
    requirePositiveInteger('claim_timeout', input.claimTimeoutMs);
  }
}
