import { EventFanOut } from '../../memory-adapters';
import type { LifecycleEvent } from '../../ports';
import type { Job, JobRun } from './job';

/**
 * Jobs and their runs. `recordRun` is where "a tick fires once cluster-wide" is decided: it
 * inserts the run under a unique key (mediator, job, scheduledAt) and returns false when that
 * tick was already recorded by any instance; only the winner executes the run.
 */
export abstract class JobStore {
  abstract find(mediator: string, name: string): Promise<Job | null>;
  abstract list(mediator: string): Promise<Job[]>;
  /** Upserts the job. Adapters keep `cursor` monotonic (never move it back). */
  abstract save(job: Job, event: LifecycleEvent | null): Promise<Job>;
  abstract recordRun(run: JobRun, event: LifecycleEvent): Promise<boolean>;
  /** The latest runs, newest first. */
  abstract runs(mediator: string, job: string, limit?: number): Promise<JobRun[]>;
}

export class InMemoryJobStore extends JobStore {
  private readonly jobs = new Map<string, Job>();
  private readonly runsByKey = new Map<string, JobRun>();

  constructor(readonly events = new EventFanOut()) {
    super();
  }

  async find(mediator: string, name: string): Promise<Job | null> {
    return this.jobs.get(`${mediator}\u0000${name}`) ?? null;
  }

  async list(mediator: string): Promise<Job[]> {
    return [...this.jobs.values()].filter((j) => j.mediator === mediator);
  }

  async save(job: Job, event: LifecycleEvent | null): Promise<Job> {
    const key = `${job.mediator}\u0000${job.name}`;
    const stored = this.jobs.get(key);
    const cursor = stored && stored.cursor > job.cursor ? stored.cursor : job.cursor;
    const saved = { ...job, cursor };
    this.jobs.set(key, saved);
    if (event) this.events.emit(event);
    return saved;
  }

  async recordRun(run: JobRun, event: LifecycleEvent): Promise<boolean> {
    const key = `${run.mediator}\u0000${run.job}\u0000${run.scheduledAt.toISOString()}`;
    if (this.runsByKey.has(key)) return false;
    this.runsByKey.set(key, run);
    this.events.emit(event);
    return true;
  }

  async runs(mediator: string, job: string, limit = 100): Promise<JobRun[]> {
    return [...this.runsByKey.values()]
      .filter((r) => r.mediator === mediator && r.job === job)
      .sort((a, b) => b.scheduledAt.getTime() - a.scheduledAt.getTime())
      .slice(0, limit);
  }
}
