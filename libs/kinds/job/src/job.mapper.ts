import type { Job, JobRun, JobTarget, JsonValue, MisfirePolicy } from '@mediator/core';
import type { JobEntity, JobRunEntity } from './job.entity';

const date = (value: string | number): Date => new Date(Number(value));

export function fromJobRow(row: JobEntity): Job {
  return {
    mediator: row.mediator,
    name: row.name,
    type: row.type,
    schedule: row.schedule,
    payload: JSON.parse(row.payload) as JsonValue,
    target: row.target as JobTarget,
    misfire: row.misfire as MisfirePolicy,
    paused: Boolean(row.paused),
    cursor: date(row.cursor),
    nextRunAt: row.nextRunAt === null ? null : date(row.nextRunAt),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
  };
}

export function toJobRow(job: Job): JobEntity {
  return {
    mediator: job.mediator,
    name: job.name,
    type: job.type,
    schedule: job.schedule,
    payload: JSON.stringify(job.payload ?? null),
    target: job.target,
    misfire: job.misfire,
    paused: job.paused,
    cursor: String(job.cursor.getTime()),
    nextRunAt: job.nextRunAt ? String(job.nextRunAt.getTime()) : null,
    createdAt: String(job.createdAt.getTime()),
    updatedAt: String(job.updatedAt.getTime()),
  };
}

export function fromRunRow(row: JobRunEntity): JobRun {
  return {
    id: row.id,
    mediator: row.mediator,
    job: row.job,
    scheduledAt: date(row.scheduledAt),
    firedAt: date(row.firedAt),
    catchUp: Boolean(row.catchUp),
  };
}

export function toRunRow(run: JobRun): JobRunEntity {
  return {
    id: run.id,
    mediator: run.mediator,
    job: run.job,
    scheduledAt: String(run.scheduledAt.getTime()),
    firedAt: String(run.firedAt.getTime()),
    catchUp: run.catchUp,
  };
}
