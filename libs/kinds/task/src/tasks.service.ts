import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock, type Task, type TaskStatus } from '@mediator/core';
import { CoreMediatorProvider } from '@mediator/mediators';
import { PeriodicTask } from '@mediator/persistence';
import type { Page, PageRequest } from '@mediator/persistence';
import { SqlTaskStore } from './sql-task.store';
import type { ClaimTaskDto, SubmitTaskDto } from './task.dto';

/** How often every instance returns expired claims to the queue (each change is a CAS). */
export const CLAIM_SWEEP_INTERVAL_MS = 1000;

/**
 * The task queue of the core (`mediator.tasks`) on the SQL store, whose claim is atomic in the
 * database: each task is held by one worker at a time, whichever instance the worker calls.
 */
@Injectable()
export class TasksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Tasks');
  private readonly sweeper = new PeriodicTask(
    'claim sweep',
    CLAIM_SWEEP_INTERVAL_MS,
    () => this.sweep(),
    this.logger,
  );

  constructor(
    private readonly core: CoreMediatorProvider,
    readonly store: SqlTaskStore,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  async submit(mediatorName: string, dto: SubmitTaskDto): Promise<Task> {
    const mediator = await this.core.mediator(mediatorName);
    const task = await mediator.tasks.submit({
      name: dto.name,
      type: dto.type,
      priority: dto.priority,
      data: dto.data,
      retryCount: dto.retry_count,
      claimTimeoutMs: dto.claim_timeout_ms,
    });
    return task;
  }

  /** The next task for the worker, or null when none is pending. */
  async claim(mediatorName: string, dto: ClaimTaskDto): Promise<Task | null> {
    const mediator = await this.core.mediator(mediatorName);
    return mediator.tasks.claim({ workerId: dto.worker_id, types: dto.types });
  }

  async complete(mediatorName: string, id: string, workerId: string, result: unknown) {
    const mediator = await this.core.mediator(mediatorName);
    const task = await mediator.tasks.complete(id, workerId, (result ?? null) as Task['result']);
    return task;
  }

  async fail(mediatorName: string, id: string, workerId: string, error: string): Promise<Task> {
    const mediator = await this.core.mediator(mediatorName);
    const task = await mediator.tasks.fail(id, workerId, error);
    return task;
  }

  async get(mediatorName: string, id: string): Promise<Task> {
    return (await this.core.mediator(mediatorName)).tasks.get(id);
  }

  async list(mediatorName: string, status: TaskStatus | undefined, page: PageRequest) {
    await this.core.mediator(mediatorName);
    return this.store.page(mediatorName, status, page) as Promise<Page<Task>>;
  }

  /** Expired claims back to the queue (or dead) through the core; safe on every instance. */
  private async sweep(): Promise<void> {
    const now = this.clock.now();
    for (const name of await this.store.mediatorsWithExpiredClaims(now)) {
      const mediator = await this.core.mediator(name).catch(() => null);
      if (mediator) await mediator.tasks.expireClaims(now);
    }
  }
}
