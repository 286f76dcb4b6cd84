import { Logger } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import type { AppConfig } from '@mediator/config';
import { MediatorNotFoundError, type WorkflowState } from '@mediator/core';
import type { Page } from '@mediator/persistence';
import {
  boundStore,
  compileKind,
  type CompiledKind,
  fakeFacade,
  fakePorts,
  type Ports,
  settleBackgroundWork,
  useFakeClock,
} from '../../../../test/support/nest-fakes';
import { SqlWorkflowStore } from './sql-workflow.store';
import { workflowKind } from './workflow.kind';
import { WorkflowsService } from './workflows.service';

/** The SQL queries of the workflow store this spec replaces. */
interface WorkflowQueries {
  page(...args: unknown[]): Promise<Page<WorkflowState>>;
  mediatorsWithResumable(now: Date): Promise<string[]>;
}

const config = {
  workflows: { retryCount: 2, leaseMs: 30_000, stepTimeoutMs: 10_000, sweepIntervalMs: 2000 },
} as Partial<AppConfig>;

const workflow = { id: 'w1', status: 'running' } as WorkflowState;
const steps = [{ name: 'charge', type: 'payment.charge' }];

describe('WorkflowsService', () => {
  let ports: Ports;
  let engine: ReturnType<typeof fakeFacade<'create' | 'run' | 'get' | 'cancel'>>;
  let resumeWorkflows: jest.Mock;
  let service: WorkflowsService;
  let moduleRef: TestingModule;
  let kind: CompiledKind<WorkflowsService>;

  beforeEach(async () => {
    useFakeClock();
    ports = fakePorts(config);
    engine = fakeFacade('create', 'run', 'get', 'cancel');
    engine.create.mockResolvedValue(workflow);
    engine.run.mockResolvedValue(workflow);
    engine.cancel.mockResolvedValue({ ...workflow, status: 'cancelled' });
    resumeWorkflows = jest.fn().mockResolvedValue(undefined);
    ports.core.knows('m', { workflows: engine, resumeWorkflows });
    kind = await compileKind(workflowKind, WorkflowsService, ports);
    ({ service, moduleRef } = kind);
  });

  afterEach(async () => {
    await moduleRef.close();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('binds its SQL store and gives the core the workflow settings of the config in its module', () => {
    expect(kind.stores.workflows).toBeInstanceOf(SqlWorkflowStore);
    expect(kind.options.workflows).toEqual({
      retryCount: 2,
      leaseMs: 30_000,
      stepTimeoutMs: 10_000,
    });
  });

  it('stores the workflow (the 202), runs it in the background, again when it ends', async () => {
    let finishRun!: (state: WorkflowState) => void;
    engine.run.mockReturnValueOnce(new Promise((resolve) => (finishRun = resolve)));

    const started = await service.start('m', { name: 'order', steps, data: { id: 7 } });

    expect(started).toBe(workflow);
    expect(engine.create).toHaveBeenCalledWith({
      name: 'order',
      steps,
      data: { id: 7 },
      retryCount: undefined,
    });
    expect(engine.run).toHaveBeenCalledWith('w1');
    await settleBackgroundWork();

    finishRun(workflow);
    await settleBackgroundWork();
  });

  it('logs a background run that stopped instead of failing the start', async () => {
    engine.run.mockRejectedValueOnce(new Error('lease lost'));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    await expect(service.start('m', { name: 'order', steps })).resolves.toBe(workflow);
    await settleBackgroundWork();

    expect(warn).toHaveBeenCalledWith('workflow w1 stopped: lease lost');
  });

  it('cancels through the core', async () => {
    await expect(service.cancel('m', 'w1')).resolves.toMatchObject({ status: 'cancelled' });
    expect(engine.cancel).toHaveBeenCalledWith('w1');
  });

  it('answers MEDIATOR_NOT_FOUND for the list of an unknown mediator without reading the store', async () => {
    const page = jest.spyOn(boundStore<WorkflowQueries>(kind, 'workflows'), 'page');

    await expect(service.list('nope', undefined, { limit: 10 })).rejects.toBeInstanceOf(
      MediatorNotFoundError,
    );
    expect(page).not.toHaveBeenCalled();
  });

  it('resumes the workflows whose runner is gone, once the database is up', async () => {
    const resumable = jest
      .spyOn(boundStore<WorkflowQueries>(kind, 'workflows'), 'mediatorsWithResumable')
      .mockResolvedValue(['m']);

    expect(resumable).not.toHaveBeenCalled();
    ports.dataSource.isInitialized = true;
    await jest.advanceTimersByTimeAsync(2000);
    await settleBackgroundWork();

    expect(resumable).toHaveBeenCalledWith(new Date('2026-01-01T00:00:02.000Z'));
    expect(resumeWorkflows).toHaveBeenCalledTimes(1);
  });
});
