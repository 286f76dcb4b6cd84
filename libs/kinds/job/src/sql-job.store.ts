import type { DataSource, EntityManager } from 'typeorm';
import { type Job, type JobRun, JobStore, type LifecycleEvent } from '@mediator/core';
import {
  type Page,
  type PageRequest,
  toPage,
  numericCursor,
  insertOutbox,
  transaction,
  isUniqueViolation,
} from '@mediator/persistence/sql';
import { JobEntity, JobRunEntity } from './job.entity';
import { fromJobRow, fromRunRow, toJobRow, toRunRow } from './job.mapper';

/**
 * Jobs and their runs on SQLite or MySQL/MariaDB. A tick fires once cluster-wide because its run
 * row has a unique key (mediator, job, scheduled_at): the insert of every other instance fails.
 */
export class SqlJobStore extends JobStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async find(mediator: string, name: string): Promise<Job | null> {
    const row = await this.dataSource.getRepository(JobEntity).findOneBy({ mediator, name });
    return row ? fromJobRow(row) : null;
  }

  async list(mediator: string): Promise<Job[]> {
    const rows = await this.dataSource
      .getRepository(JobEntity)
      .find({ where: { mediator }, order: { name: 'ASC' } });
    return rows.map(fromJobRow);
  }

  /** A page of the mediator's jobs by name (REST `GET jobs`). */
  async page(mediator: string, page: PageRequest): Promise<Page<Job>> {
    const query = this.dataSource
      .getRepository(JobEntity)
      .createQueryBuilder('j')
      .where('j.mediator = :mediator', { mediator })
      .orderBy('j.name', 'ASC')
      .take(page.limit + 1);
    if (page.after !== undefined) query.andWhere('j.name > :after', { after: page.after });
    return toPage((await query.getMany()).map(fromJobRow), page.limit, (j) => j.name);
  }

  /** The mediators with an active job: what the scheduler loop of every instance ticks. */
  async mediatorsWithActiveJobs(): Promise<string[]> {
    const rows: { mediator: string }[] = await this.dataSource
      .getRepository(JobEntity)
      .createQueryBuilder('j')
      .select('DISTINCT j.mediator', 'mediator')
      .where('j.paused = :paused', { paused: false })
      .getRawMany();
    return rows.map((r) => r.mediator);
  }

  /**
   * Upserts the job with a monotonic cursor. A save without an event is the scheduler moving the
   * cursor after a tick: it writes only cursor and next run, so it never undoes a pause or a new
   * schedule written by another request or instance meanwhile.
   */
  async save(job: Job, event: LifecycleEvent | null): Promise<Job> {
    return transaction(this.dataSource, async (manager) => {
      const row = toJobRow(job);
      if (event === null) {
        await this.advanceCursor(manager, row);
      } else if (!(await this.update(manager, row))) {
        try {
          await manager.insert(JobEntity, row);
        } catch (error) {
          // Another request created it first: PUT replaces it.
          if (!isUniqueViolation(error) || !(await this.update(manager, row))) throw error;
        }
      }
      if (event) await insertOutbox(manager, event);
      const saved = await manager.findOneBy(JobEntity, { mediator: job.mediator, name: job.name });
      return saved ? fromJobRow(saved) : job;
    });
  }

  async recordRun(run: JobRun, event: LifecycleEvent): Promise<boolean> {
    try {
      await transaction(this.dataSource, async (manager) => {
        await manager.insert(JobRunEntity, toRunRow(run));
        await insertOutbox(manager, event);
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async runs(mediator: string, job: string, limit = 100): Promise<JobRun[]> {
    return (await this.runsPage(mediator, job, { limit })).items;
  }

  /** The job's runs, newest tick first (the REST listing). */
  async runsPage(mediator: string, job: string, page: PageRequest): Promise<Page<JobRun>> {
    const query = this.dataSource
      .getRepository(JobRunEntity)
      .createQueryBuilder('r')
      .where('r.mediator = :mediator AND r.job = :job', { mediator, job })
      .orderBy('r.scheduled_at', 'DESC')
      .take(page.limit + 1);
    if (page.after !== undefined)
      query.andWhere('r.scheduled_at < :after', { after: numericCursor(page.after) });
    const rows = await query.getMany();
    return toPage(rows.map(fromRunRow), page.limit, (r) => String(r.scheduledAt.getTime()));
  }

  private async update(manager: EntityManager, row: JobEntity): Promise<boolean> {
    const { mediator, name, cursor, createdAt: _created, ...fields } = row;
    const result = await manager
      .createQueryBuilder()
      .update(JobEntity)
      .set({ ...fields, cursor: () => monotonic(cursor) })
      .where('mediator = :mediator AND name = :name', { mediator, name })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async advanceCursor(manager: EntityManager, row: JobEntity): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(JobEntity)
      .set({ cursor: () => monotonic(row.cursor), nextRunAt: row.nextRunAt })
      .where('mediator = :mediator AND name = :name', { mediator: row.mediator, name: row.name })
      .andWhere('handled_until < :cursor', { cursor: Number(row.cursor) })
      .execute();
  }
}

/** The cursor never moves back, whichever instance writes last. */
function monotonic(cursor: string): string {
  const value = String(Number(cursor));
  return `CASE WHEN handled_until > ${value} THEN handled_until ELSE ${value} END`;
}
