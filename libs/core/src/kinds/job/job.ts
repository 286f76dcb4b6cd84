import type { CronSchedule } from '../../cron';
import type { JsonValue } from '../../model';

export type JobTarget = 'task' | 'command';
/** After downtime: `skip` the missed ticks, or `run_once` to catch up with a single run. */
export type MisfirePolicy = 'skip' | 'run_once';

export interface Job {
  mediator: string;
  name: string;
  /** The task type submitted, or the command type sent, on every tick. */
  type: string;
  schedule: string;
  payload: JsonValue;
  target: JobTarget;
  misfire: MisfirePolicy;
  paused: boolean;
  /** Every tick at or before this time has been handled (fired, skipped or paused through). */
  cursor: Date;
  nextRunAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface JobRun {
  id: string;
  mediator: string;
  job: string;
  /** The tick; unique per job, which is how a tick fires once across instances. */
  scheduledAt: Date;
  firedAt: Date;
  /** A `run_once` catch-up for ticks missed during downtime. */
  catchUp: boolean;
}

export interface PlannedFire {
  scheduledAt: Date;
  catchUp: boolean;
}

/**
 * Which ticks in (cursor, now] to fire. A tick older than `graceMs` was missed (the scheduler
 * was not running); missed ticks are dropped under `skip` and folded into one catch-up run
 * under `run_once` unless a tick on time fires anyway. Pure, so every instance plans alike.
 */
export function planFires(job: Job, cron: CronSchedule, now: Date, graceMs: number): PlannedFire[] {
  if (job.paused) return [];
  const first = cron.next(job.cursor);
  if (!first || first > now) return [];
  const onTimeFrom = new Date(Math.max(job.cursor.getTime(), now.getTime() - graceMs - 1));
  const onTime = cron.between(onTimeFrom, now).map((t) => ({ scheduledAt: t, catchUp: false }));
  const missed = first.getTime() < now.getTime() - graceMs;
  if (onTime.length > 0 || !missed || job.misfire === 'skip') return onTime;
  // The first missed tick names the catch-up, so every instance records the same run.
  return [{ scheduledAt: first, catchUp: true }];
}
