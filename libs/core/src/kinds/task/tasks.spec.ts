import { ConcreteMediator } from '../../concrete-mediator';
import type { LifecycleEvent } from '../../ports';
import { ManualClock } from '../../timing';
import { TaskHandler } from '../handlers';
import type { Task } from './task';
import { InMemoryTaskStore } from './task-store';

async function setUp(store = new InMemoryTaskStore()) {
  const clock = new ManualClock('2024-01-01T00:00:00Z');
  const mediator = new ConcreteMediator({}, { clock, scheduler: clock, stores: { tasks: store } });
  const events: LifecycleEvent[] = [];
  store.events.on((e) => events.push(e));
  return { mediator, clock, store, events, tasks: mediator.tasks };
}

describe('tasks', () => {
  it('are claimed higher priority first, FIFO within a priority', async () => {
    const { tasks } = await setUp();
    for (const [name, priority] of [
      ['low-1', 1],
      ['high-1', 9],
      ['low-2', 1],
      ['high-2', 9],
      ['mid', 5],
    ] as const) {
      await tasks.submit({ name, type: 'resize', priority });
    }

    const order: string[] = [];
    for (
      let task = await tasks.claim({ workerId: 'w' });
      task;
      task = await tasks.claim({ workerId: 'w' })
    ) {
      order.push(task.name);
    }

    expect(order).toEqual(['high-1', 'high-2', 'mid', 'low-1', 'low-2']);
  });

  it('gives each of 1000 tasks to exactly one of many concurrent workers on two mediators', async () => {
    const store = new InMemoryTaskStore();
    const a = await setUp(store);
    const b = await setUp(store);
    for (let i = 0; i < 1000; i++)
      await a.tasks.submit({ name: `t${i}`, type: 'job', priority: i % 3 });

    const completedBy = new Map<string, string[]>();
    const worker = async (queue: typeof a.tasks, workerId: string) => {
      for (
        let task = await queue.claim({ workerId });
        task;
        task = await queue.claim({ workerId })
      ) {
        await queue.complete(task.id, workerId, workerId);
        completedBy.set(task.id, [...(completedBy.get(task.id) ?? []), workerId]);
      }
    };
    await Promise.all(
      Array.from({ length: 16 }, (_, i) => worker(i % 2 ? a.tasks : b.tasks, `w${i}`)),
    );

    expect(completedBy.size).toBe(1000);
    expect([...completedBy.values()].every((workers) => workers.length === 1)).toBe(true);
    expect(await a.tasks.list('completed')).toHaveLength(1000);
  });

  it('claims only the types a worker asks for', async () => {
    const { tasks } = await setUp();
    await tasks.submit({ name: 'a', type: 'email', priority: 9 });
    await tasks.submit({ name: 'b', type: 'resize' });
    expect((await tasks.claim({ workerId: 'w', types: ['resize'] }))?.name).toBe('b');
    expect(await tasks.claim({ workerId: 'w', types: ['resize'] })).toBeNull();
  });

  it('retries an expired claim up to retryCount, then marks the task dead', async () => {
    const { tasks, clock, events } = await setUp();
    const submitted = await tasks.submit({
      name: 'x',
      type: 't',
      retryCount: 1,
      claimTimeoutMs: 1000,
    });

    const first = await tasks.claim({ workerId: 'w1' });
    clock.advance(999);
    expect(await tasks.expireClaims()).toEqual([]);
    expect(await tasks.claim({ workerId: 'w2' })).toBeNull(); // still held by w1
    clock.advance(1);
    const [retried] = await tasks.expireClaims();
    expect(retried).toMatchObject({ status: 'pending', attempts: 1, claimedBy: null });

    const second = await tasks.claim({ workerId: 'w2' });
    expect(second).toMatchObject({ id: submitted.id, attempts: 2 });
    clock.advance(1000);
    const [dead] = await tasks.expireClaims();

    expect(dead).toMatchObject({ status: 'dead', attempts: 2 });
    expect(await tasks.claim({ workerId: 'w3' })).toBeNull();
    await expect(tasks.complete(first!.id, 'w1')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      category: 'conflict',
    });
    expect(events.map((e) => e.event)).toEqual([
      'task_submitted',
      'task_claimed',
      'task_retried',
      'task_claimed',
      'task_dead',
    ]);
  });

  it('does not let a worker whose claim expired complete the task that another now holds', async () => {
    const { tasks, clock } = await setUp();
    await tasks.submit({ name: 'x', type: 't', claimTimeoutMs: 10 });
    const stale = await tasks.claim({ workerId: 'slow' });
    clock.advance(10);
    await tasks.expireClaims();
    await tasks.claim({ workerId: 'fast' });

    await expect(tasks.complete(stale!.id, 'slow')).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    expect((await tasks.complete(stale!.id, 'fast', 'done')).status).toBe('completed');
  });

  it('fails a task back to the queue, then dead when out of retries', async () => {
    const { tasks } = await setUp();
    const { id } = await tasks.submit({ name: 'x', type: 't', retryCount: 1 });
    await tasks.claim({ workerId: 'w' });
    expect(await tasks.fail(id, 'w', 'boom')).toMatchObject({ status: 'pending', error: 'boom' });
    await tasks.claim({ workerId: 'w' });
    expect(await tasks.fail(id, 'w', 'boom again')).toMatchObject({
      status: 'dead',
      error: 'boom again',
    });
  });

  it('runs tasks in process with a TaskHandler, completing with its result or failing with its error', async () => {
    const { tasks, events } = await setUp();
    class Resizer extends TaskHandler {
      process(task: Task): unknown {
        if (task.name === 'bad') throw new Error('corrupt image');
        return { resized: task.name };
      }
    }
    const worker = new Resizer('resizer', ['resize']);
    const good = await tasks.submit({ name: 'good', type: 'resize', priority: 1 });
    await tasks.submit({ name: 'bad', type: 'resize', retryCount: 0 });

    expect(await tasks.process(worker)).toMatchObject({
      id: good.id,
      status: 'completed',
      result: { resized: 'good' },
    });
    expect(await tasks.process(worker)).toMatchObject({ status: 'dead', error: 'corrupt image' });
    expect(await tasks.process(worker)).toBeNull();
    expect(events.map((e) => e.event)).toContain('task_completed');
  });

  it('validates input and reports unknown tasks', async () => {
    const { tasks } = await setUp();
    await expect(tasks.submit({ name: '', type: 't' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(tasks.submit({ name: 'x', type: 't', priority: 1.5 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(tasks.get('nope')).rejects.toMatchObject({
      code: 'TASK_NOT_FOUND',
      category: 'not_found',
    });
    await expect(tasks.complete('nope', 'w')).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
  });
});
