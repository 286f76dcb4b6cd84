// KINDS.md task and job on the embedded default (SQLite): queue order, claim expiry → retry →
// dead, job pause/resume, and the misfire policy after a restart with downtime.
import { join } from 'node:path';
import { type Api, api, eventually, expectError } from '../support/http';
import { type RunningService, startService, tempDir } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { sleep } from '../support/ws';

jest.setTimeout(90_000);

const dir = tempDir();
const sqlitePath = join(dir, 'mediator.sqlite');
/** The job scheduler's pass interval and misfire grace (fixed in the service, not configured). */
const SCHEDULER_TICK_MS = 1000;
const MISFIRE_GRACE_MS = 5000;
let service: RunningService | undefined;
let admin: Api;

beforeAll(async () => {
  service = await startService({ sqlitePath });
  admin = api(service.url, adminToken());
  expect((await admin.post('/mediators', { name: 'work' })).status).toBe(201);
});
afterAll(() => service?.stop());

describe('tasks', () => {
  it('are claimed higher priority first, FIFO within a priority; 204 when none', async () => {
    for (const [name, priority] of [
      ['low-1', 1],
      ['high-1', 9],
      ['low-2', 1],
      ['high-2', 9],
      ['mid', 5],
    ] as const) {
      const res = await admin.post('/mediators/work/tasks', {
        name,
        type: 'order',
        priority,
        data: { name },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name, priority, status: 'pending', attempts: 0 });
    }
    const order: string[] = [];
    for (;;) {
      const res = await admin.post('/mediators/work/tasks/claim', {
        worker_id: 'w1',
        types: ['order'],
      });
      if (res.status === 204) break;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'claimed', worker_id: 'w1', attempts: 1 });
      order.push(res.body.name);
      const done = await admin.post(`/mediators/work/tasks/${res.body.id}/complete`, {
        worker_id: 'w1',
        result: { ok: res.body.name },
      });
      expect(done.body).toMatchObject({ status: 'completed', result: { ok: res.body.name } });
    }
    expect(order).toEqual(['high-1', 'high-2', 'mid', 'low-1', 'low-2']);
    const completed = await admin.get('/mediators/work/tasks?status=completed&limit=3');
    expect(completed.body.items.map((t: { name: string }) => t.name)).toEqual([
      'low-1',
      'high-1',
      'low-2',
    ]);
    expect(completed.body.next_cursor).toEqual(expect.any(String));
  });

  it('retries an abandoned claim after its timeout, then marks the task dead', async () => {
    const submitted = await admin.post('/mediators/work/tasks', {
      name: 'flaky',
      type: 'abandon',
      retry_count: 1,
      claim_timeout_ms: 500,
    });
    const id = submitted.body.id as string;
    const first = await admin.post('/mediators/work/tasks/claim', {
      worker_id: 'gone-1',
      types: ['abandon'],
    });
    expect(first.body).toMatchObject({ id, attempts: 1 });
    const retried = await eventually(async () => {
      const t = await admin.get(`/mediators/work/tasks/${id}`);
      if (t.body.status !== 'pending') throw new Error(`still ${t.body.status}`);
      return t.body;
    });
    expect(retried).toMatchObject({ attempts: 1, worker_id: null });
    expect(retried.error).toContain('gone-1');
    // The first worker lost its claim: completing now is a conflict.
    expectError(
      await admin.post(`/mediators/work/tasks/${id}/complete`, { worker_id: 'gone-1' }),
      409,
      'INVALID_STATE',
    );
    const second = await admin.post('/mediators/work/tasks/claim', {
      worker_id: 'gone-2',
      types: ['abandon'],
    });
    expect(second.body).toMatchObject({ id, attempts: 2 });
    await eventually(async () => {
      const t = await admin.get(`/mediators/work/tasks/${id}`);
      if (t.body.status !== 'dead') throw new Error(`still ${t.body.status}`);
    });
    const dead = await admin.get('/mediators/work/tasks?status=dead');
    expect(dead.body.items.map((t: { id: string }) => t.id)).toEqual([id]);
    expect(
      (await admin.post('/mediators/work/tasks/claim', { worker_id: 'w', types: ['abandon'] }))
        .status,
    ).toBe(204);
  });

  it('lets a colleague-bound token claim only as its colleague, and rejects bad input', async () => {
    const worker = api(service!.url, colleagueToken('work', 'resizer'));
    expectError(
      await worker.post('/mediators/work/tasks/claim', { worker_id: 'someone-else' }),
      403,
    );
    expect(
      (await worker.post('/mediators/work/tasks/claim', { worker_id: 'resizer' })).status,
    ).toBe(204);
    expectError(await admin.post('/mediators/work/tasks', { name: 'x', type: 't', extra: 1 }), 400);
    expectError(
      await admin.post('/mediators/work/tasks', { name: 'x', type: 't', priority: 1.5 }),
      400,
    );
    expectError(await admin.get('/mediators/work/tasks/nope'), 404, 'TASK_NOT_FOUND');
    expectError(
      await admin.post('/mediators/none/tasks', { name: 'x', type: 't' }),
      404,
      'MEDIATOR_NOT_FOUND',
    );
  });
});

describe('jobs', () => {
  it('rejects an invalid schedule with INVALID_SCHEDULE', async () => {
    expectError(
      await admin.put('/mediators/work/jobs/bad', { type: 't', schedule: 'every minute' }),
      400,
      'INVALID_SCHEDULE',
    );
  });

  it('fires every second, submits a task per tick, stops while paused and resumes', async () => {
    const created = await admin.put('/mediators/work/jobs/beat', {
      type: 'beat',
      schedule: '* * * * * *',
      payload: { n: 1 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'beat', paused: false, misfire: 'skip' });
    const runs = async () =>
      (await admin.get('/mediators/work/jobs/beat/runs?limit=500')).body.items;
    await eventually(async () => {
      if ((await runs()).length < 2) throw new Error('fewer than 2 runs');
    });
    const tasks = await admin.get('/mediators/work/tasks?limit=500');
    const beats = tasks.body.items.filter((t: { type: string }) => t.type === 'beat');
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(beats[0].data).toMatchObject({ job: 'beat', payload: { n: 1 } });

    const paused = await admin.post('/mediators/work/jobs/beat/pause');
    expect(paused.body).toMatchObject({ paused: true, next_run_at: null });
    const pausedAt = Date.now();
    // Real time: the scheduler ticks every second on the service's own clock. First past one
    // tick, so a pass that read the job before the pause has ended; then two more ticks that
    // would each have fired had the pause not held.
    await sleep(SCHEDULER_TICK_MS + 500);
    const whilePaused = (await runs()).length;
    await sleep(2 * SCHEDULER_TICK_MS);
    expect((await runs()).length).toBe(whilePaused);

    const resumed = await admin.post('/mediators/work/jobs/beat/resume');
    expect(resumed.body.paused).toBe(false);
    const resumedAt = Date.now();
    await eventually(async () => {
      if ((await runs()).length < whilePaused + 2) throw new Error('not resumed');
    });
    const all = (await runs()) as { scheduled_at: string }[];
    const fellWhilePaused = all.filter((r) => {
      const t = Date.parse(r.scheduled_at);
      return t > pausedAt + 1000 && t < resumedAt - 1000;
    });
    expect(fellWhilePaused).toEqual([]);
    const ticks = all.map((r) => r.scheduled_at);
    expect(new Set(ticks).size).toBe(ticks.length);
    await admin.post('/mediators/work/jobs/beat/pause');
  });

  it('after downtime runs a missed tick once under run_once and not at all under skip', async () => {
    // A tick a few seconds ahead, once a minute: it falls while the service is down.
    const tick = Math.ceil((Date.now() + 4000) / 1000) * 1000;
    const schedule = `${new Date(tick).getUTCSeconds()} * * * * *`;
    for (const [job, misfire] of [
      ['catch-up', 'run_once'],
      ['skipper', 'skip'],
    ] as const) {
      const res = await admin.put(`/mediators/work/jobs/${job}`, { type: job, schedule, misfire });
      expect(res.status).toBe(201);
    }
    expect((await service!.stop()).code).toBe(0);
    service = undefined;
    expect(Date.now()).toBeLessThan(tick);
    // Real time: down past the tick plus the misfire grace, so the tick counts as missed (a tick
    // is missed when older than the grace at the scheduler's first pass, which reads the clock
    // after the process starts).
    await sleep(tick + MISFIRE_GRACE_MS + 250 - Date.now());
    service = await startService({ sqlitePath });
    admin = api(service.url, adminToken());
    const caughtUp = await eventually(async () => {
      const items = (await admin.get('/mediators/work/jobs/catch-up/runs')).body.items;
      if (items.length === 0) throw new Error('no catch-up run yet');
      return items;
    });
    expect(caughtUp).toEqual([
      expect.objectContaining({ scheduled_at: new Date(tick).toISOString(), catch_up: true }),
    ]);
    // The scheduler has passed the skipper's missed tick too (it ticks both jobs in one pass).
    expect((await admin.get('/mediators/work/jobs/skipper/runs')).body.items).toEqual([]);
    const submitted = await admin.get('/mediators/work/tasks?limit=500');
    expect(
      submitted.body.items.filter((t: { type: string }) => t.type === 'catch-up'),
    ).toHaveLength(1);
    expect(submitted.body.items.filter((t: { type: string }) => t.type === 'skipper')).toEqual([]);
  });
});
