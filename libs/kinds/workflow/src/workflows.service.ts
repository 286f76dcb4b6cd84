import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  Clock,
  type JsonValue,
  type WorkflowState,
  type WorkflowStatus,
  type WorkflowStepDefinition,
} from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { CoreMediatorProvider } from '@mediator/mediators';
import { PeriodicTask } from '@mediator/persistence';
import type { Page, PageRequest } from '@mediator/persistence';
import { SqlWorkflowStore } from './sql-workflow.store';

export interface StartWorkflowCommand {
  name: string;
  steps: WorkflowStepDefinition[];
  data?: unknown;
  retryCount?: number;
}

/**
 * Workflows for every transport: the core's WorkflowEngine on the SQL WorkflowStore. A started
 * workflow is stored (the 202) and run in the background; every instance sweeps for workflows
 * whose runner's lease expired (a dead or restarted instance) and resumes them — the store's
 * atomic claim lets exactly one instance take each.
 */
@Injectable()
export class WorkflowsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkflowsService.name);
  private sweeper?: PeriodicTask;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly core: CoreMediatorProvider,
    private readonly store: SqlWorkflowStore,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.workflows.sweepIntervalMs;
    this.sweeper = new PeriodicTask('workflow sweep', interval, () => this.sweep(), this.logger);
    this.sweeper.start({ now: true });
  }

  onApplicationShutdown(): void {
    this.sweeper?.stop();
  }

  async start(mediatorName: string, command: StartWorkflowCommand): Promise<WorkflowState> {
    const engine = (await this.core.mediator(mediatorName)).workflows;
    const created = await engine.create({
      name: command.name,
      steps: command.steps,
      data: command.data as JsonValue,
      retryCount: command.retryCount,
    });
    // The same engine holds the lease create() took, so its run is the one allowed to write.
    this.inBackground(`workflow ${created.id}`, engine.run(created.id));
    return created;
  }

  async get(mediatorName: string, id: string): Promise<WorkflowState> {
    return (await this.core.mediator(mediatorName)).workflows.get(id);
  }

  async list(
    mediatorName: string,
    status: WorkflowStatus | undefined,
    page: PageRequest,
  ): Promise<Page<WorkflowState>> {
    await this.core.mediator(mediatorName);
    return this.store.page(mediatorName, status, page);
  }

  async cancel(mediatorName: string, id: string): Promise<WorkflowState> {
    const cancelled = await (await this.core.mediator(mediatorName)).workflows.cancel(id);
    return cancelled;
  }

  /** Takes over the workflows whose runner is gone, on every instance, at start-up and periodically. */
  private async sweep(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    for (const name of await this.store.mediatorsWithResumable(this.clock.now())) {
      const mediator = await this.core.mediator(name);
      this.inBackground(`resuming workflows of '${name}'`, mediator.resumeWorkflows());
    }
  }

  private inBackground(what: string, run: Promise<unknown>): void {
    run.catch((error: unknown) => this.logger.warn(`${what} stopped: ${(error as Error).message}`));
  }
}
