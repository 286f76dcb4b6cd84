import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock, type Job, type JobRun } from '@mediator/core';
import { CoreMediatorProvider } from '@mediator/mediators';
import { PeriodicTask } from '@mediator/persistence';
import type { Page, PageRequest } from '@mediator/persistence';
import { SqlJobStore } from './sql-job.store';
import type { ScheduleJobDto } from './job.dto';

/** The scheduler loop of every instance; the unique run key makes each tick fire once. */
export const SCHEDULER_INTERVAL_MS = 1000;

/** Cron jobs of the core (`mediator.jobs`) on the SQL store, ticked on every instance. */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly scheduler = new PeriodicTask(
    'scheduler tick',
    SCHEDULER_INTERVAL_MS,
    () => this.tick(),
    this.logger,
  );

  constructor(
    private readonly core: CoreMediatorProvider,
    readonly store: SqlJobStore,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.start();
  }

  onApplicationShutdown(): void {
    this.scheduler.stop();
  }

  /** PUT semantics: creates or replaces the job; `created` tells which. */
  async schedule(
    mediatorName: string,
    name: string,
    dto: ScheduleJobDto,
  ): Promise<{ job: Job; created: boolean }> {
    const mediator = await this.core.mediator(mediatorName);
    const created = (await this.store.find(mediatorName, name)) === null;
    const job = await mediator.jobs.schedule({
      name,
      type: dto.type,
      schedule: dto.schedule,
      payload: dto.payload,
      misfire: dto.misfire,
      target: dto.target,
    });
    return { job, created };
  }

  async pause(mediatorName: string, name: string): Promise<Job> {
    const job = await (await this.core.mediator(mediatorName)).jobs.pause(name);
    return job;
  }

  async resume(mediatorName: string, name: string): Promise<Job> {
    const job = await (await this.core.mediator(mediatorName)).jobs.resume(name);
    return job;
  }

  async get(mediatorName: string, name: string): Promise<Job> {
    return (await this.core.mediator(mediatorName)).jobs.get(name);
  }

  async list(mediatorName: string, page: PageRequest): Promise<Page<Job>> {
    await this.core.mediator(mediatorName);
    return this.store.page(mediatorName, page);
  }

  async runs(mediatorName: string, name: string, page: PageRequest): Promise<Page<JobRun>> {
    await this.get(mediatorName, name);
    return this.store.runsPage(mediatorName, name, page);
  }

  /** One pass of the scheduler over every mediator with an active job. */
  private async tick(): Promise<void> {
    const now = this.clock.now();
    for (const name of await this.store.mediatorsWithActiveJobs()) {
      const mediator = await this.core.mediator(name).catch(() => null);
      if (!mediator) continue;
      const result = await mediator.jobs.tick(now);
      for (const failure of result.failures)
        this.logger.warn(`job '${failure.job}' on '${name}' failed: ${failure.error}`);
    }
  }
}
