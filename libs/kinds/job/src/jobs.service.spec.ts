import { Logger } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { type Job, JobNotFoundError } from '@mediator/core';
import {
  compileKind,
  type CompiledKind,
  fakeFacade,
  fakePorts,
  type Ports,
  useFakeClock,
} from '../../../../test/support/nest-fakes';
import { jobKind } from './job.kind';
import { JobsService, SCHEDULER_INTERVAL_MS } from './jobs.service';
import { SqlJobStore } from './sql-job.store';

const job = { name: 'nightly', mediator: 'm', paused: false } as unknown as Job;

describe('JobsService', () => {
  let ports: Ports;
  let jobs: ReturnType<typeof fakeFacade<'schedule' | 'pause' | 'resume' | 'get' | 'tick'>>;
  let service: JobsService;
  let moduleRef: TestingModule;
  let kind: CompiledKind<JobsService>;

  beforeEach(async () => {
    useFakeClock();
    ports = fakePorts();
    jobs = fakeFacade('schedule', 'pause', 'resume', 'get', 'tick');
    jobs.schedule.mockResolvedValue(job);
    jobs.pause.mockResolvedValue(job);
    jobs.resume.mockResolvedValue(job);
    jobs.get.mockResolvedValue(job);
    jobs.tick.mockResolvedValue({ fired: [], failures: [] });
    ports.core.knows('m', { jobs });
    kind = await compileKind(jobKind, JobsService, ports);
    ({ service, moduleRef } = kind);
  });

  afterEach(async () => {
    await moduleRef.close();
    jest.useRealTimers();
  });

  it('binds its SQL store as the core’s job store in its module', () => {
    expect(service.store).toBeInstanceOf(SqlJobStore);
    expect(kind.stores.jobs).toBe(service.store);
  });

  it('schedules a new job (created) or replaces one (not created)', async () => {
    const find = jest.spyOn(service.store, 'find').mockResolvedValueOnce(null);
    const dto = { type: 'report', schedule: '0 3 * * *', payload: { full: true } };

    await expect(service.schedule('m', 'nightly', dto)).resolves.toEqual({ job, created: true });
    expect(jobs.schedule).toHaveBeenCalledWith({
      name: 'nightly',
      type: 'report',
      schedule: '0 3 * * *',
      payload: { full: true },
      misfire: undefined,
      target: undefined,
    });

    find.mockResolvedValueOnce(job);
    await expect(service.schedule('m', 'nightly', dto)).resolves.toEqual({ job, created: false });
    expect(find).toHaveBeenCalledWith('m', 'nightly');
  });

  it('pauses and resumes through the core', async () => {
    await service.pause('m', 'nightly');
    await service.resume('m', 'nightly');

    expect(jobs.pause).toHaveBeenCalledWith('nightly');
    expect(jobs.resume).toHaveBeenCalledWith('nightly');
  });

  it('answers JOB_NOT_FOUND for the runs of an unknown job without reading its runs', async () => {
    jobs.get.mockRejectedValueOnce(new JobNotFoundError('m', 'gone'));
    const runsPage = jest.spyOn(service.store, 'runsPage');

    await expect(service.runs('m', 'gone', { limit: 5 })).rejects.toBeInstanceOf(JobNotFoundError);
    expect(runsPage).not.toHaveBeenCalled();
  });

  it('pages the runs of a known job from the store', async () => {
    const page = { items: [], nextCursor: null };
    const runsPage = jest.spyOn(service.store, 'runsPage').mockResolvedValue(page);

    await expect(service.runs('m', 'nightly', { limit: 5 })).resolves.toBe(page);
    expect(runsPage).toHaveBeenCalledWith('m', 'nightly', { limit: 5 });
  });

  describe('scheduler tick', () => {
    it('ticks every mediator with active jobs at the current time, skipping deleted ones', async () => {
      jest.spyOn(service.store, 'mediatorsWithActiveJobs').mockResolvedValue(['gone', 'm']);
      jobs.tick.mockResolvedValueOnce({ fired: [{ job: 'nightly' }], failures: [] });

      await jest.advanceTimersByTimeAsync(SCHEDULER_INTERVAL_MS);

      expect(jobs.tick).toHaveBeenCalledWith(new Date('2026-01-01T00:00:01.000Z'));
    });

    it('logs the jobs that failed to fire nothing when none fired', async () => {
      jest.spyOn(service.store, 'mediatorsWithActiveJobs').mockResolvedValue(['m']);
      jobs.tick.mockResolvedValueOnce({ fired: [], failures: [{ job: 'nightly', error: 'boom' }] });
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

      await jest.advanceTimersByTimeAsync(SCHEDULER_INTERVAL_MS);

      expect(warn).toHaveBeenCalledWith("job 'nightly' on 'm' failed: boom");
      warn.mockRestore();
    });
  });
});
