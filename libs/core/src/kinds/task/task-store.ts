import { EventFanOut } from '../../memory-adapters';
import type { LifecycleEvent } from '../../ports';
import {
  type Task,
  type TaskClaim,
  type TaskStatus,
  claimExpired,
  claimTask,
  nextClaimable,
} from './task';

/**
 * The task queue. `claimNext` is one operation so an adapter can make it atomic (MySQL:
 * `SELECT … ORDER BY priority DESC, sequence FOR UPDATE SKIP LOCKED` + `UPDATE` in a
 * transaction; SQLite: one `UPDATE … WHERE id = (SELECT …) RETURNING *`): a task is never
 * claimed by two workers. `transition` is a compare-and-set on status, claimant and attempt.
 */
export abstract class TaskStore {
  /** Stores a new task; the store assigns `sequence`. */
  abstract add(task: Task, event: LifecycleEvent): Promise<Task>;
  abstract find(mediator: string, id: string): Promise<Task | null>;
  abstract list(mediator: string, status?: TaskStatus): Promise<Task[]>;
  /** Claims the next task for the worker (see `nextClaimable`, `claimTask`), or null. */
  abstract claimNext(
    mediator: string,
    claim: TaskClaim,
    eventFor: (claimed: Task) => LifecycleEvent,
  ): Promise<Task | null>;
  /** Writes `next` if the stored task still has `expected`'s status, claimant and attempts. */
  abstract transition(next: Task, expected: Task, events: LifecycleEvent[]): Promise<boolean>;
  abstract listExpiredClaims(mediator: string, now: Date): Promise<Task[]>;
}

export class InMemoryTaskStore extends TaskStore {
  private readonly tasks = new Map<string, Task>();
  private sequence = 0;

  constructor(readonly events = new EventFanOut()) {
    super();
  }

  async add(task: Task, event: LifecycleEvent): Promise<Task> {
    const stored = { ...task, sequence: ++this.sequence };
    this.tasks.set(key(task.mediator, task.id), stored);
    this.events.emit(event);
    return stored;
  }

  async find(mediator: string, id: string): Promise<Task | null> {
    return this.tasks.get(key(mediator, id)) ?? null;
  }

  async list(mediator: string, status?: TaskStatus): Promise<Task[]> {
    return [...this.tasks.values()].filter(
      (t) => t.mediator === mediator && (status === undefined || t.status === status),
    );
  }

  // Selection and write without an await in between: atomic within one process.
  async claimNext(
    mediator: string,
    claim: TaskClaim,
    eventFor: (claimed: Task) => LifecycleEvent,
  ): Promise<Task | null> {
    const mine = [...this.tasks.values()].filter((t) => t.mediator === mediator);
    const next = nextClaimable(mine, claim);
    if (!next) return null;
    const claimed = claimTask(next, claim);
    this.tasks.set(key(mediator, next.id), claimed);
    this.events.emit(eventFor(claimed));
    return claimed;
  }

  async transition(next: Task, expected: Task, events: LifecycleEvent[]): Promise<boolean> {
    const current = this.tasks.get(key(next.mediator, next.id));
    const unchanged =
      current?.status === expected.status &&
      current.claimedBy === expected.claimedBy &&
      current.attempts === expected.attempts;
    if (!unchanged) return false;
    this.tasks.set(key(next.mediator, next.id), next);
    for (const event of events) this.events.emit(event);
    return true;
  }

  async listExpiredClaims(mediator: string, now: Date): Promise<Task[]> {
    return [...this.tasks.values()].filter((t) => t.mediator === mediator && claimExpired(t, now));
  }
}

function key(mediator: string, id: string): string {
  return `${mediator}\u0000${id}`;
}
