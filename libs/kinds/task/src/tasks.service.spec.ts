import type { TestingModule } from '@nestjs/testing';
import { MediatorNotFoundError, type Task } from '@mediator/core';
import {
  compileKind,
  type CompiledKind,
  fakePorts,
  type Ports,
  useFakeClock,
} from '../../../../test/support/nest-fakes';
import { SqlTaskStore } from './sql-task.store';
import { taskKind } from './task.kind';
import { CLAIM_SWEEP_INTERVAL_MS, TasksService } from './tasks.service';

const task = { id: 't1', mediator: 'm', status: 'pending' } as Task;

describe('TasksService', () => {
  let ports: Ports;
  let tasks: {
    [K in 'submit' | 'claim' | 'complete' | 'fail' | 'get' | 'expireClaims']: jest.Mock;
  };
  let service: TasksService;
  let moduleRef: TestingModule;
  let kind: CompiledKind<TasksService>;
  let store: TasksService['store'];

  beforeEach(async () => {
    useFakeClock();
    ports = fakePorts();
    tasks = {
      submit: jest.fn().mockResolvedValue(task),
      claim: jest.fn().mockResolvedValue(task),
      complete: jest.fn().mockResolvedValue(task),
      fail: jest.fn().mockResolvedValue(task),
      get: jest.fn().mockResolvedValue(task),
      expireClaims: jest.fn().mockResolvedValue([]),
    };
    ports.core.knows('m', { tasks });
    kind = await compileKind(taskKind, TasksService, ports);
    ({ service, moduleRef } = kind);
    store = service.store;
  });

  afterEach(async () => {
    await moduleRef.close();
    jest.useRealTimers();
  });

  it('binds its SQL store as the core’s task store in its module', () => {
    expect(store).toBeInstanceOf(SqlTaskStore);
    expect(kind.stores.tasks).toBe(store);
  });

  it('submits the DTO to the core’s queue in the core’s names', async () => {
    const submitted = await service.submit('m', {
      name: 'resize',
      type: 'image',
      priority: 5,
      data: { w: 1 },
      retry_count: 2,
      claim_timeout_ms: 3000,
    });

    expect(submitted).toBe(task);
    expect(tasks.submit).toHaveBeenCalledWith({
      name: 'resize',
      type: 'image',
      priority: 5,
      data: { w: 1 },
      retryCount: 2,
      claimTimeoutMs: 3000,
    });
  });

  it('claims for the worker and its types; an empty queue gives null and nothing to publish', async () => {
    tasks.claim.mockResolvedValueOnce(null);

    await expect(service.claim('m', { worker_id: 'w1', types: ['image'] })).resolves.toBeNull();
    expect(tasks.claim).toHaveBeenCalledWith({ workerId: 'w1', types: ['image'] });

    await expect(service.claim('m', { worker_id: 'w1' })).resolves.toBe(task);
  });

  it('completes with a null result when the worker sends none, and fails with the error text', async () => {
    await service.complete('m', 't1', 'w1', undefined);
    await service.fail('m', 't1', 'w1', 'disk full');

    expect(tasks.complete).toHaveBeenCalledWith('t1', 'w1', null);
    expect(tasks.fail).toHaveBeenCalledWith('t1', 'w1', 'disk full');
  });

  it('lets the core’s error through nothing when the change is refused', async () => {
    const refused = new Error('not the claimant');
    tasks.complete.mockRejectedValueOnce(refused);

    await expect(service.complete('m', 't1', 'w2', {})).rejects.toBe(refused);
  });

  it('answers MEDIATOR_NOT_FOUND for an unknown mediator before touching the queue or the store', async () => {
    const page = jest.spyOn(store, 'page');

    await expect(service.submit('nope', { name: 'n', type: 't' })).rejects.toBeInstanceOf(
      MediatorNotFoundError,
    );
    await expect(service.list('nope', undefined, { limit: 10 })).rejects.toBeInstanceOf(
      MediatorNotFoundError,
    );
    expect(tasks.submit).not.toHaveBeenCalled();
    expect(page).not.toHaveBeenCalled();
  });

  it('lists a page of the mediator’s tasks from the store, filtered by status', async () => {
    const result = { items: [task], nextCursor: null };
    const page = jest.spyOn(store, 'page').mockResolvedValue(result);

    await expect(service.list('m', 'pending', { limit: 10 })).resolves.toBe(result);
    expect(page).toHaveBeenCalledWith('m', 'pending', { limit: 10 });
  });

  describe('claim sweep', () => {
    it('expires the claims of every mediator that has some, at the current time, once', async () => {
      ports.core.knows('other', { tasks });
      const due = jest
        .spyOn(store, 'mediatorsWithExpiredClaims')
        .mockResolvedValue(['m', 'deleted-meanwhile', 'other']);
      tasks.expireClaims.mockResolvedValueOnce([task]).mockResolvedValueOnce([task]);

      await jest.advanceTimersByTimeAsync(CLAIM_SWEEP_INTERVAL_MS);

      const now = new Date('2026-01-01T00:00:01.000Z');
      expect(due).toHaveBeenCalledWith(now);
      expect(tasks.expireClaims).toHaveBeenCalledTimes(2);
      expect(tasks.expireClaims).toHaveBeenCalledWith(now);
    });

    it('does nothing when no claim expired, and stops at shutdown', async () => {
      const due = jest.spyOn(store, 'mediatorsWithExpiredClaims').mockResolvedValue(['m']);

      await jest.advanceTimersByTimeAsync(CLAIM_SWEEP_INTERVAL_MS);
      expect(tasks.expireClaims).toHaveBeenCalledTimes(1);

      await moduleRef.close();
      await jest.advanceTimersByTimeAsync(10 * CLAIM_SWEEP_INTERVAL_MS);
      expect(due).toHaveBeenCalledTimes(1);
    });
  });
});
