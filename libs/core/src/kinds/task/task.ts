import type { JsonValue } from '../../model';

export type TaskStatus = 'pending' | 'claimed' | 'completed' | 'dead';

export interface Task {
  id: string;
  mediator: string;
  name: string;
  type: string;
  /** Higher first. */
  priority: number;
  data: JsonValue;
  status: TaskStatus;
  /** How many times it has been claimed. */
  attempts: number;
  /** Retries after the first attempt before it is `dead`. */
  retryCount: number;
  claimTimeoutMs: number;
  claimedBy: string | null;
  claimExpiresAt: Date | null;
  result: JsonValue;
  error: string | null;
  /** Submission order, for FIFO within a priority (SQL: an auto-increment column). */
  sequence: number;
  submittedAt: Date;
  updatedAt: Date;
}

export interface TaskClaim {
  workerId: string;
  /** Only tasks of these types; all types when absent or empty. */
  types?: string[];
  now: Date;
}

/** Queue order: higher priority first, then first submitted. */
export function compareQueueOrder(a: Task, b: Task): number {
  return b.priority - a.priority || a.sequence - b.sequence;
}

/** The task a claim takes: pending, of an accepted type, first in queue order. */
export function nextClaimable(tasks: Iterable<Task>, claim: TaskClaim): Task | undefined {
  let best: Task | undefined;
  for (const task of tasks) {
    if (task.status !== 'pending') continue;
    if (claim.types?.length && !claim.types.includes(task.type)) continue;
    if (!best || compareQueueOrder(task, best) < 0) best = task;
  }
  return best;
}

export function claimTask(task: Task, claim: TaskClaim): Task {
  return {
    ...task,
    status: 'claimed',
    attempts: task.attempts + 1,
    claimedBy: claim.workerId,
    claimExpiresAt: new Date(claim.now.getTime() + task.claimTimeoutMs),
    updatedAt: claim.now,
  };
}

export function completeTask(task: Task, result: JsonValue, now: Date): Task {
  return {
    ...task,
    status: 'completed',
    result,
    error: null,
    claimExpiresAt: null,
    updatedAt: now,
  };
}

/** A failed or abandoned attempt: back in the queue while retries remain, else dead. */
export function failAttempt(task: Task, error: string, now: Date): Task {
  const retriesLeft = task.attempts <= task.retryCount;
  return {
    ...task,
    status: retriesLeft ? 'pending' : 'dead',
    claimedBy: null,
    claimExpiresAt: null,
    error,
    updatedAt: now,
  };
}

export function claimExpired(task: Task, now: Date): boolean {
  return task.status === 'claimed' && task.claimExpiresAt !== null && task.claimExpiresAt <= now;
}
