import type { DataSource, EntityManager } from 'typeorm';
import {
  type LifecycleEvent,
  type Task,
  type TaskClaim,
  type TaskStatus,
  TaskStore,
  claimTask,
} from '@mediator/core';
import {
  type Page,
  type PageRequest,
  toPage,
  numericCursor,
  insertOutbox,
  transaction,
} from '@mediator/persistence/sql';
import { TaskEntity } from './task.entity';
import { fromTaskRow, toTaskRow } from './task.mapper';

/**
 * The task queue on SQLite or MySQL/MariaDB. A claim is atomic in the database: MySQL locks the
 * first pending row with `FOR UPDATE SKIP LOCKED` (concurrent claimers skip it and take the
 * next), SQLite claims with one `UPDATE … WHERE seq = (SELECT …)`. Every other change is a
 * compare-and-set on status, claimant and attempts, with its events in the same transaction.
 */
export class SqlTaskStore extends TaskStore {
  private readonly mysql: boolean;

  constructor(private readonly dataSource: DataSource) {
    super();
    this.mysql = dataSource.options.type === 'mysql';
  }

  async add(task: Task, event: LifecycleEvent): Promise<Task> {
    return transaction(this.dataSource, async (manager) => {
      const inserted = await manager.insert(TaskEntity, toTaskRow(task));
      await insertOutbox(manager, event);
      const seq = Number((inserted.identifiers[0] as { seq: string | number }).seq);
      return { ...task, sequence: seq };
    });
  }

  async find(mediator: string, id: string): Promise<Task | null> {
    const row = await this.dataSource.getRepository(TaskEntity).findOneBy({ mediator, id });
    return row ? fromTaskRow(row) : null;
  }

  async list(mediator: string, status?: TaskStatus): Promise<Task[]> {
    const rows = await this.dataSource
      .getRepository(TaskEntity)
      .find({ where: status ? { mediator, status } : { mediator }, order: { seq: 'ASC' } });
    return rows.map(fromTaskRow);
  }

  /** A page of the mediator's tasks in submission order (the REST listing). */
  async page(
    mediator: string,
    status: TaskStatus | undefined,
    page: PageRequest,
  ): Promise<Page<Task>> {
    const query = this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.mediator = :mediator', { mediator })
      .orderBy('t.seq', 'ASC')
      .take(page.limit + 1);
    if (status) query.andWhere('t.status = :status', { status });
    if (page.after !== undefined)
      query.andWhere('t.seq > :after', { after: numericCursor(page.after) });
    const rows = await query.getMany();
    return toPage(rows.map(fromTaskRow), page.limit, (t) => String(t.sequence));
  }

  async claimNext(
    mediator: string,
    claim: TaskClaim,
    eventFor: (claimed: Task) => LifecycleEvent,
  ): Promise<Task | null> {
    return transaction(this.dataSource, async (manager) => {
      const claimed = this.mysql
        ? await this.claimLocked(manager, mediator, claim)
        : await this.claimInOneUpdate(manager, mediator, claim);
      if (claimed) await insertOutbox(manager, eventFor(claimed));
      return claimed;
    });
  }

  async transition(next: Task, expected: Task, events: LifecycleEvent[]): Promise<boolean> {
    return transaction(this.dataSource, async (manager) => {
      const query = manager
        .createQueryBuilder()
        .update(TaskEntity)
        .set(toTaskRow(next))
        .where('mediator = :mediator AND id = :id', { mediator: next.mediator, id: next.id })
        .andWhere('status = :status AND attempts = :attempts', {
          status: expected.status,
          attempts: expected.attempts,
        });
      if (expected.claimedBy === null) query.andWhere('claimed_by IS NULL');
      else query.andWhere('claimed_by = :claimedBy', { claimedBy: expected.claimedBy });
      const result = await query.execute();
      if ((result.affected ?? 0) === 0) return false;
      for (const event of events) await insertOutbox(manager, event);
      return true;
    });
  }

  async listExpiredClaims(mediator: string, now: Date): Promise<Task[]> {
    const rows = await this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where("t.mediator = :mediator AND t.status = 'claimed'", { mediator })
      .andWhere('t.claim_expires_at <= :now', { now: now.getTime() })
      .orderBy('t.seq', 'ASC')
      .getMany();
    return rows.map(fromTaskRow);
  }

  /** The mediators holding an expired claim: what the sweep on every instance visits. */
  async mediatorsWithExpiredClaims(now: Date): Promise<string[]> {
    const rows: { mediator: string }[] = await this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .select('DISTINCT t.mediator', 'mediator')
      .where("t.status = 'claimed' AND t.claim_expires_at <= :now", { now: now.getTime() })
      .getRawMany();
    return rows.map((r) => r.mediator);
  }

  private async claimLocked(
    manager: EntityManager,
    mediator: string,
    claim: TaskClaim,
  ): Promise<Task | null> {
    const [sql, params] = candidateQuery(mediator, claim.types);
    const rows = await manager.query<Record<string, unknown>[]>(
      `SELECT * FROM tasks FORCE INDEX (idx_tasks_queue) WHERE ${sql} ORDER BY priority DESC, seq ASC LIMIT 1 FOR UPDATE SKIP LOCKED`,
      params,
    );
    if (rows.length === 0) return null;
    const claimed = claimTask(fromTaskRow(rawToEntity(rows[0])), claim);
    await manager.update(TaskEntity, { seq: String(rows[0].seq) }, toTaskRow(claimed));
    return claimed;
  }

  private async claimInOneUpdate(
    manager: EntityManager,
    mediator: string,
    claim: TaskClaim,
  ): Promise<Task | null> {
    const [sql, params] = candidateQuery(mediator, claim.types);
    const now = claim.now.getTime();
    // The same change as the core's claimTask, in one statement.
    const rows = await manager.query<Record<string, unknown>[]>(
      `UPDATE tasks SET status = 'claimed', attempts = attempts + 1, claimed_by = ?,
         claim_expires_at = ? + claim_timeout_ms, updated_at = ?
       WHERE seq = (SELECT seq FROM tasks WHERE ${sql} ORDER BY priority DESC, seq ASC LIMIT 1)
         AND status = 'pending'
       RETURNING *`,
      [claim.workerId, now, now, ...params],
    );
    return rows.length === 0 ? null : fromTaskRow(rawToEntity(rows[0]));
  }
}

function candidateQuery(mediator: string, types: string[] | undefined): [string, unknown[]] {
  const params: unknown[] = [mediator];
  let sql = "mediator = ? AND status = 'pending'";
  if (types?.length) {
    sql += ` AND type IN (${types.map(() => '?').join(', ')})`;
    params.push(...types);
  }
  return [sql, params];
}

/** A raw `tasks` row (snake_case columns) as the entity the mapper reads. */
function rawToEntity(raw: Record<string, unknown>): TaskEntity {
  const r = raw as Record<string, never>;
  return {
    seq: r.seq,
    id: r.id,
    mediator: r.mediator,
    name: r.name,
    type: r.type,
    priority: Number(r.priority),
    data: r.data,
    status: r.status,
    attempts: Number(r.attempts),
    retryCount: Number(r.retry_count),
    claimTimeoutMs: Number(r.claim_timeout_ms),
    claimedBy: r.claimed_by,
    claimExpiresAt: r.claim_expires_at,
    result: r.result,
    error: r.error,
    submittedAt: r.submitted_at,
    updatedAt: r.updated_at,
  };
}
