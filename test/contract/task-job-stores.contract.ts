import { DataSource, type DataSourceOptions } from 'typeorm';
import { type Job, type JobRun, type Task, claimTask, failAttempt } from '@mediator/core';
import { SqlJobStore } from '../../libs/kinds/job/src/sql-job.store';
import { SqlTaskStore } from '../../libs/kinds/task/src/sql-task.store';
import { type Harness, at, event, nextId, useHarness } from './harness';

export interface TaskJobStores {
  tasks: SqlTaskStore;
  jobs: SqlJobStore;
  dataSource: DataSource;
}

export function taskJobStores(options: DataSourceOptions): Harness<TaskJobStores> {
  let ds: DataSource | undefined;
  return {
    async open() {
      ds = await new DataSource(options).initialize();
      return { tasks: new SqlTaskStore(ds), jobs: new SqlJobStore(ds), dataSource: ds };
    },
    async clean() {
      for (const table of ['tasks', 'job_runs', 'jobs', 'outbox'])
        await ds!.query(`DELETE FROM ${table}`);
    },
    async close() {
      await ds?.destroy();
    },
  };
}

const NOW = at('2026-01-02T03:04:05.000Z');

function task(name: string, priority: number, overrides: Partial<Task> = {}): Task {
  return {
    id: nextId(),
    mediator: 'm',
    name,
    type: 'resize',
    priority,
    data: { name },
    status: 'pending',
    attempts: 0,
    retryCount: 1,
    claimTimeoutMs: 1000,
    claimedBy: null,
    claimExpiresAt: null,
    result: null,
    error: null,
    sequence: 0,
    submittedAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

function job(overrides: Partial<Job> = {}): Job {
  return {
    mediator: 'm',
    name: 'nightly',
    type: 'cleanup',
    schedule: '* * * * * *',
    payload: { keep: 7 },
    target: 'task',
    misfire: 'skip',
    paused: false,
    cursor: NOW,
    nextRunAt: at('2026-01-02T03:04:06.000Z'),
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

const claimEvent = (t: Task) => event('task_claimed', t.mediator, { id: t.id });

/** The TaskStore and JobStore ports of the core on one SQL database. */
export function taskJobStoreContract(harness: Harness<TaskJobStores>): void {
  describe('TaskStore and JobStore (SQL)', () => {
    const stores = useHarness(harness);
    const claim = (workerId: string, types?: string[]) =>
      stores().tasks.claimNext('m', { workerId, types, now: NOW }, claimEvent);

    it('claims higher priority first, FIFO within a priority, only the asked types', async () => {
      for (const [name, priority] of [
        ['low-1', 1],
        ['high-1', 9],
        ['low-2', 1],
        ['high-2', 9],
      ] as const)
        await stores().tasks.add(task(name, priority), event('task_submitted', 'm'));
      await stores().tasks.add(task('mail', 99, { type: 'email' }), event('task_submitted', 'm'));
      const order: string[] = [];
      for (let t = await claim('w', ['resize']); t; t = await claim('w', ['resize'])) {
        expect(t).toMatchObject({ status: 'claimed', attempts: 1, claimedBy: 'w' });
        expect(t.claimExpiresAt).toEqual(new Date(NOW.getTime() + 1000));
        order.push(t.name);
      }
      expect(order).toEqual(['high-1', 'high-2', 'low-1', 'low-2']);
      expect((await claim('w'))?.name).toBe('mail');
      expect(await stores().tasks.list('m', 'claimed')).toHaveLength(5);
    });

    it('gives each task to one of many concurrent claimers', async () => {
      for (let i = 0; i < 20; i++) await stores().tasks.add(task(`t${i}`, i % 3), event('s', 'm'));
      const claims = await Promise.all(Array.from({ length: 40 }, (_, i) => claim(`w${i}`)));
      const won = claims.filter((t): t is Task => t !== null);
      expect(won).toHaveLength(20);
      expect(new Set(won.map((t) => t.id)).size).toBe(20);
      const outbox = await stores().dataSource.query(
        "SELECT COUNT(*) AS n FROM outbox WHERE event = 'task_claimed'",
      );
      expect(Number(outbox[0].n)).toBe(20);
    });

    it('transitions only from the expected state, and lists expired claims', async () => {
      const added = await stores().tasks.add(task('x', 0), event('s', 'm'));
      const claimed = (await claim('w1'))!;
      expect(claimed.id).toBe(added.id);
      expect(await stores().tasks.listExpiredClaims('m', new Date(NOW.getTime() + 999))).toEqual(
        [],
      );
      const later = new Date(NOW.getTime() + 1000);
      const [expired] = await stores().tasks.listExpiredClaims('m', later);
      expect(expired).toEqual(claimed);
      expect(await stores().tasks.mediatorsWithExpiredClaims(later)).toEqual(['m']);
      const retried = failAttempt(expired, 'expired', later);
      expect(await stores().tasks.transition(retried, expired, [event('task_retried', 'm')])).toBe(
        true,
      );
      // A second sweeper (another instance) with the same stale view loses.
      expect(await stores().tasks.transition(retried, expired, [event('task_retried', 'm')])).toBe(
        false,
      );
      const again = claimTask(retried, { workerId: 'w2', now: later });
      expect(await claim('w2')).toMatchObject({ id: again.id, attempts: 2, claimedBy: 'w2' });
      expect(await stores().tasks.find('m', added.id)).toMatchObject({
        status: 'claimed',
        error: 'expired',
      });
    });

    it('records a tick once, however many instances try', async () => {
      await stores().jobs.save(job(), event('job_scheduled', 'm'));
      const run = (): JobRun => ({
        id: nextId(),
        mediator: 'm',
        job: 'nightly',
        scheduledAt: at('2026-01-02T03:04:06.000Z'),
        firedAt: at('2026-01-02T03:04:06.010Z'),
        catchUp: false,
      });
      const results = await Promise.all(
        Array.from({ length: 5 }, () => stores().jobs.recordRun(run(), event('job_fired', 'm'))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const runs = await stores().jobs.runs('m', 'nightly');
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        scheduledAt: at('2026-01-02T03:04:06.000Z'),
        catchUp: false,
      });
    });

    it('pages the jobs of a mediator by name, with their next fire time', async () => {
      for (const name of ['c', 'a', 'b']) await stores().jobs.save(job({ name }), event('s', 'm'));
      await stores().jobs.save(job({ mediator: 'other', name: 'aa' }), event('s', 'other'));

      const first = await stores().jobs.page('m', { limit: 2 });
      expect(first.items.map((j) => j.name)).toEqual(['a', 'b']);
      expect(first.items[0]).toMatchObject({ mediator: 'm', nextRunAt: job().nextRunAt });
      expect(first.nextCursor).not.toBeNull();
      const rest = await stores().jobs.page('m', { limit: 2, after: 'b' });
      expect(rest).toEqual({ items: [expect.objectContaining({ name: 'c' })], nextCursor: null });
      expect((await stores().jobs.page('none', { limit: 2 })).items).toEqual([]);
    });

    it('keeps the cursor monotonic and never lets a cursor advance undo a pause', async () => {
      await stores().jobs.save(job(), event('job_scheduled', 'm'));
      const later = at('2026-01-02T03:05:00.000Z');
      await stores().jobs.save(job({ paused: true, cursor: later }), event('job_paused', 'm'));
      const stale = job({ paused: false, cursor: at('2026-01-02T03:04:30.000Z') });
      const saved = await stores().jobs.save(stale, null);
      expect(saved).toMatchObject({ paused: true, cursor: later });
      expect(await stores().jobs.mediatorsWithActiveJobs()).toEqual([]);
      const replaced = await stores().jobs.save(
        job({ schedule: '0 * * * * *', cursor: NOW }),
        event('job_scheduled', 'm'),
      );
      expect(replaced).toMatchObject({
        schedule: '0 * * * * *',
        paused: false,
        cursor: later,
        payload: { keep: 7 },
      });
      expect(await stores().jobs.list('m')).toHaveLength(1);
    });
  });
}
