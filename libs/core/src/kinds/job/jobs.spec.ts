import { ConcreteMediator } from '../../concrete-mediator';
import { ManualClock } from '../../timing';
import { BaseJob } from '../base-messages';
import { JobHandler, type IncomingRequest } from '../handlers';
import { InMemoryTaskStore } from '../task/task-store';
import { InMemoryJobStore } from './job-store';

const T0 = '2024-01-01T00:00:00.000Z';
const sec = (n: number) => new Date(Date.parse(T0) + n * 1000);

async function setUp(stores = { jobs: new InMemoryJobStore(), tasks: new InMemoryTaskStore() }) {
  const clock = new ManualClock(T0);
  const mediator = new ConcreteMediator({}, { clock, scheduler: clock, stores });
  return { mediator, clock, stores, jobs: mediator.jobs };
}

describe('jobs', () => {
  it('submit a task on every tick of a per-second schedule, each tick once', async () => {
    const { jobs, mediator } = await setUp();
    await jobs.schedule(new BaseJob('report', 'build_report', '* * * * * *', { kind: 'daily' }));

    await jobs.tick(sec(1));
    await jobs.tick(sec(1)); // the same tick again: nothing new
    await jobs.tick(sec(2));
    await jobs.tick(sec(3));

    const tasks = await mediator.tasks.list();
    expect(tasks.map((t) => (t.data as { scheduled_at: string }).scheduled_at)).toEqual([
      sec(1).toISOString(),
      sec(2).toISOString(),
      sec(3).toISOString(),
    ]);
    expect(tasks[0]).toMatchObject({
      name: 'report',
      type: 'build_report',
      data: { job: 'report', payload: { kind: 'daily' } },
    });
    expect((await jobs.runs('report')).map((r) => r.scheduledAt)).toEqual([sec(3), sec(2), sec(1)]);
  });

  it('fire once per tick however many schedulers share the store', async () => {
    const stores = { jobs: new InMemoryJobStore(), tasks: new InMemoryTaskStore() };
    const instances = await Promise.all([setUp(stores), setUp(stores), setUp(stores)]);
    await instances[0].jobs.schedule({ name: 'beat', type: 'beat', schedule: '* * * * * *' });

    for (let s = 1; s <= 5; s++) {
      const results = await Promise.all(instances.map((i) => i.jobs.tick(sec(s))));
      expect(results.reduce((n, r) => n + r.fired.length, 0)).toBe(1);
    }
    expect(await instances[1].mediator.tasks.list()).toHaveLength(5);
  });

  it('send a command to the job handler when the target is command', async () => {
    const { jobs, mediator } = await setUp();
    const runs: IncomingRequest[] = [];
    class Cleanup extends JobHandler {
      run(tick: IncomingRequest): unknown {
        runs.push(tick);
        return 'cleaned';
      }
    }
    await mediator.registerColleague(new Cleanup('cleaner', ['cleanup']));
    await jobs.schedule({
      name: 'nightly',
      type: 'cleanup',
      schedule: '*/2 * * * * *',
      payload: { days: 7 },
      target: 'command',
    });

    const result = await jobs.tick(sec(2));
    await jobs.tick(sec(3)); // not on the schedule

    expect(result.fired).toHaveLength(1);
    expect(runs.map((r) => [r.kind, r.senderId, r.data])).toEqual([
      ['command', 'mediator:command', { days: 7 }],
    ]);
  });

  it('report a failed run without stopping the others', async () => {
    const { jobs } = await setUp();
    await jobs.schedule({
      name: 'orphan',
      type: 'nobody_handles',
      schedule: '* * * * * *',
      target: 'command',
    });
    const result = await jobs.tick(sec(1));
    expect(result.fired).toHaveLength(1);
    expect(result.failures).toEqual([
      { job: 'orphan', scheduledAt: sec(1), error: expect.stringContaining('nobody_handles') },
    ]);
  });

  it('pause and resume; ticks while paused are not fired later', async () => {
    const { jobs, clock, mediator } = await setUp();
    await jobs.schedule({
      name: 'beat',
      type: 'beat',
      schedule: '* * * * * *',
      misfire: 'run_once',
    });
    await jobs.tick(sec(1));
    await jobs.pause('beat');
    await jobs.tick(sec(2));
    await jobs.tick(sec(30));
    clock.set(sec(30));
    await jobs.resume('beat');
    await jobs.tick(sec(31));

    const fired = (await mediator.tasks.list()).map(
      (t) => (t.data as { scheduled_at: string }).scheduled_at,
    );
    expect(fired).toEqual([sec(1).toISOString(), sec(31).toISOString()]);
    expect((await jobs.get('beat')).paused).toBe(false);
  });

  it('skip the ticks missed during downtime under misfire skip', async () => {
    const { jobs, mediator } = await setUp();
    await jobs.schedule({ name: 'beat', type: 'beat', schedule: '0 * * * * *', misfire: 'skip' });

    const afterDowntime = await jobs.tick(new Date('2024-01-01T00:10:30Z')); // 10 minutes missed
    const nextOnTime = await jobs.tick(new Date('2024-01-01T00:11:00.200Z'));

    expect(afterDowntime.fired).toEqual([]);
    expect(nextOnTime.fired.map((r) => r.catchUp)).toEqual([false]);
    expect(await mediator.tasks.list()).toHaveLength(1);
  });

  it('run once for all the ticks missed during downtime under misfire run_once', async () => {
    const { jobs } = await setUp();
    await jobs.schedule({
      name: 'beat',
      type: 'beat',
      schedule: '0 * * * * *',
      misfire: 'run_once',
    });

    const afterDowntime = await jobs.tick(new Date('2024-01-01T00:10:30Z'));
    const quiet = await jobs.tick(new Date('2024-01-01T00:10:40Z'));

    expect(afterDowntime.fired).toEqual([
      expect.objectContaining({ catchUp: true, scheduledAt: new Date('2024-01-01T00:01:00Z') }),
    ]);
    expect(quiet.fired).toEqual([]);
  });

  it('reject a bad schedule with INVALID_SCHEDULE and unknown jobs with JOB_NOT_FOUND', async () => {
    const { jobs } = await setUp();
    await expect(
      jobs.schedule({ name: 'x', type: 't', schedule: 'every minute' }),
    ).rejects.toMatchObject({ code: 'INVALID_SCHEDULE', category: 'validation' });
    await expect(
      jobs.schedule({ name: 'x', type: 't', schedule: '* * * * *', misfire: 'later' as never }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(jobs.pause('ghost')).rejects.toMatchObject({
      code: 'JOB_NOT_FOUND',
      category: 'not_found',
    });
  });

  it('tick by themselves with start() on the scheduler until stopped', async () => {
    const { jobs, clock, mediator } = await setUp();
    await jobs.schedule({ name: 'beat', type: 'beat', schedule: '* * * * * *' });
    const stop = jobs.start(1000);
    const flush = () => new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await flush();
    }
    stop();
    clock.advance(5000);
    await flush();
    expect(await mediator.tasks.list()).toHaveLength(3);
  });
});
