import { CronSchedule } from '../../cron';
import { JobNotFoundError, ValidationError } from '../../errors';
import type { JsonValue } from '../../model';
import { type KindHost, errorMessage, requireName } from '../kind-host';
import type { TaskQueue } from '../task/task-queue';
import { type Job, type JobRun, type JobTarget, type MisfirePolicy, planFires } from './job';
import type { JobStore } from './job-store';

export interface ScheduleJobInput {
  name: string;
  type: string;
  schedule: string;
  payload?: JsonValue;
  target?: JobTarget;
  misfire?: MisfirePolicy;
}

export interface TickResult {
  fired: JobRun[];
  failures: { job: string; scheduledAt: Date; error: string }[];
}

export interface JobSchedulerOptions {
  /** A tick older than this when seen is a misfire (the scheduler was down). */
  misfireGraceMs: number;
}

const TARGETS: readonly JobTarget[] = ['task', 'command'];
const MISFIRE_POLICIES: readonly MisfirePolicy[] = ['skip', 'run_once'];

/**
 * Cron-scheduled jobs that submit a task or send a command on every tick. Time moves only
 * through `tick(now)` — call it every second or so (`start()` does, on the host's scheduler);
 * the store's unique run key makes a tick fire once however many instances tick.
 */
export class JobScheduler {
  private readonly options: JobSchedulerOptions;
  private readonly crons = new Map<string, CronSchedule>();

  constructor(
    private readonly host: KindHost,
    private readonly store: JobStore,
    private readonly tasks: TaskQueue | null,
    options: Partial<JobSchedulerOptions> = {},
  ) {
    this.options = { misfireGraceMs: 5_000, ...options };
  }

  /** Creates or replaces a job (PUT semantics); ticks before now are not fired. */
  async schedule(input: ScheduleJobInput): Promise<Job> {
    const cron = this.validate(input);
    const now = this.host.clock.now();
    const current = await this.store.find(this.host.name, input.name);
    const job: Job = {
      mediator: this.host.name,
      name: input.name,
      type: input.type,
      schedule: input.schedule,
      payload: input.payload ?? null,
      target: input.target ?? 'task',
      misfire: input.misfire ?? 'skip',
      paused: current?.paused ?? false,
      cursor: now,
      nextRunAt: cron.next(now),
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    };
    return this.store.save(job, this.lifecycle('job_scheduled', job));
  }

  async get(name: string): Promise<Job> {
    const job = await this.store.find(this.host.name, name);
    if (!job) throw new JobNotFoundError(this.host.name, name);
    return job;
  }

  list(): Promise<Job[]> {
    return this.store.list(this.host.name);
  }

  async pause(name: string): Promise<Job> {
    const job = { ...(await this.get(name)), paused: true, updatedAt: this.host.clock.now() };
    return this.store.save(job, this.lifecycle('job_paused', job));
  }

  /** Resumes from now: ticks that fell while paused are not fired, whatever the misfire policy. */
  async resume(name: string): Promise<Job> {
    const now = this.host.clock.now();
    const current = await this.get(name);
    const job = {
      ...current,
      paused: false,
      cursor: now,
      nextRunAt: this.cron(current.schedule).next(now),
      updatedAt: now,
    };
    return this.store.save(job, this.lifecycle('job_resumed', job));
  }

  async runs(name: string, limit?: number): Promise<JobRun[]> {
    await this.get(name);
    return this.store.runs(this.host.name, name, limit);
  }

  /** Fires every due tick of every active job; a failed run is reported, not retried. */
  async tick(now: Date = this.host.clock.now()): Promise<TickResult> {
    const result: TickResult = { fired: [], failures: [] };
    for (const job of await this.store.list(this.host.name)) {
      if (job.paused) continue;
      const cron = this.cron(job.schedule);
      for (const fire of planFires(job, cron, now, this.options.misfireGraceMs)) {
        const run: JobRun = {
          id: this.host.newId(),
          mediator: this.host.name,
          job: job.name,
          scheduledAt: fire.scheduledAt,
          firedAt: now,
          catchUp: fire.catchUp,
        };
        if (!(await this.store.recordRun(run, this.firedEvent(job, run)))) continue;
        result.fired.push(run);
        await this.execute(job, run).catch((error) =>
          result.failures.push({
            job: job.name,
            scheduledAt: run.scheduledAt,
            error: errorMessage(error),
          }),
        );
      }
      // Read again: a pause or a new schedule may have been written while the runs executed.
      const latest = (await this.store.find(this.host.name, job.name)) ?? job;
      await this.store.save({ ...latest, cursor: now, nextRunAt: cron.next(now) }, null);
    }
    return result;
  }

  /** Ticks every `intervalMs` on the host's scheduler until the returned function is called. */
  start(intervalMs = 1000): () => void {
    let cancel = (): void => undefined;
    let stopped = false;
    const loop = () => {
      cancel = this.host.scheduler.after(intervalMs, () => {
        void this.tick().finally(() => !stopped && loop());
      });
    };
    loop();
    return () => {
      stopped = true;
      cancel();
    };
  }

  private async execute(job: Job, run: JobRun): Promise<void> {
    if (job.target === 'command') {
      await this.host.requestAsMediator('command', job.type, job.payload);
      return;
    }
    if (!this.tasks) throw new Error('this job scheduler has no task queue');
    await this.tasks.submit({
      name: job.name,
      type: job.type,
      data: { job: job.name, scheduled_at: run.scheduledAt.toISOString(), payload: job.payload },
    });
  }

  private validate(input: ScheduleJobInput): CronSchedule {
    requireName('job', input.name);
    requireName('type', input.type);
    if (input.target !== undefined && !TARGETS.includes(input.target)) {
      throw new ValidationError('invalid job target', [
        { field: 'target', problem: `must be one of ${TARGETS.join(', ')}` },
      ]);
    }
    if (input.misfire !== undefined && !MISFIRE_POLICIES.includes(input.misfire)) {
      throw new ValidationError('invalid misfire policy', [
        { field: 'misfire', problem: `must be one of ${MISFIRE_POLICIES.join(', ')}` },
      ]);
    }
    return this.cron(input.schedule);
  }

  private cron(schedule: string): CronSchedule {
    let cron = this.crons.get(schedule);
    if (!cron) {
      cron = CronSchedule.parse(schedule);
      this.crons.set(schedule, cron);
    }
    return cron;
  }

  private firedEvent(job: Job, run: JobRun) {
    return this.host.event('job_fired', {
      job: job.name,
      type: job.type,
      target: job.target,
      scheduled_at: run.scheduledAt.toISOString(),
      catch_up: run.catchUp,
    });
  }

  private lifecycle(event: string, job: Job) {
    return this.host.event(event, {
      job: job.name,
      type: job.type,
      schedule: job.schedule,
      target: job.target,
      misfire: job.misfire,
      paused: job.paused,
    });
  }
}
