import type { JsonValue, Task, TaskStatus } from '@mediator/core';
import type { TaskEntity } from './task.entity';

const ms = (value: string | number | null): Date | null =>
  value === null ? null : new Date(Number(value));

export function fromTaskRow(row: TaskEntity): Task {
  return {
    id: row.id,
    mediator: row.mediator,
    name: row.name,
    type: row.type,
    priority: Number(row.priority),
    data: JSON.parse(row.data) as JsonValue,
    status: row.status as TaskStatus,
    attempts: Number(row.attempts),
    retryCount: Number(row.retryCount),
    claimTimeoutMs: Number(row.claimTimeoutMs),
    claimedBy: row.claimedBy ?? null,
    claimExpiresAt: ms(row.claimExpiresAt),
    result: row.result === null ? null : (JSON.parse(row.result) as JsonValue),
    error: row.error ?? null,
    sequence: Number(row.seq),
    submittedAt: ms(row.submittedAt)!,
    updatedAt: ms(row.updatedAt)!,
  };
}

/** Every column but `seq`, which the database assigns. */
export function toTaskRow(task: Task): Omit<TaskEntity, 'seq'> {
  return {
    id: task.id,
    mediator: task.mediator,
    name: task.name,
    type: task.type,
    priority: task.priority,
    data: JSON.stringify(task.data ?? null),
    status: task.status,
    attempts: task.attempts,
    retryCount: task.retryCount,
    claimTimeoutMs: task.claimTimeoutMs,
    claimedBy: task.claimedBy,
    claimExpiresAt: task.claimExpiresAt ? String(task.claimExpiresAt.getTime()) : null,
    result: task.result === null || task.result === undefined ? null : JSON.stringify(task.result),
    error: task.error,
    submittedAt: String(task.submittedAt.getTime()),
    updatedAt: String(task.updatedAt.getTime()),
  };
}
