import { type DataSource, type EntityManager } from 'typeorm';
import {
  FINISHED_WORKFLOW_STATUSES,
  type JsonValue,
  type LifecycleEvent,
  type WorkflowState,
  type WorkflowStatus,
  type WorkflowStepDefinition,
  WorkflowStore,
} from '@mediator/core';
import {
  type Page,
  type PageRequest,
  toPage,
  insertOutbox,
  transaction,
} from '@mediator/persistence/sql';
import { WorkflowEntity } from './workflow.entity';

const UNFINISHED: WorkflowStatus[] = ['running', 'compensating'];
const CLAIM_BATCH = 100;

/**
 * The core's WorkflowStore on SQL (SQLite or MySQL/MariaDB). `save` is one conditional UPDATE
 * (compare-and-set on the status, fenced by the lease owner); `claimResumable` locks the
 * candidates with `FOR UPDATE SKIP LOCKED` on MySQL/MariaDB (SQLite: one writer at a time) and
 * takes each with a conditional UPDATE, so one workflow is run by one instance at a time.
 */
export class SqlWorkflowStore extends WorkflowStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async add(state: WorkflowState, event: LifecycleEvent): Promise<WorkflowState> {
    await transaction(this.dataSource, async (manager) => {
      await manager.insert(WorkflowEntity, toRow(state));
      await insertOutbox(manager, event);
    });
    return state;
  }

  async save(
    next: WorkflowState,
    expected: WorkflowStatus,
    events: LifecycleEvent[],
  ): Promise<boolean> {
    return transaction(this.dataSource, async (manager) => {
      const { mediator, id, createdAt: _createdAt, ...changes } = toRow(next);
      const update = manager
        .createQueryBuilder()
        .update(WorkflowEntity)
        .set(changes)
        .where('mediator = :mediator AND id = :id', { mediator, id })
        .andWhere('status = :expected', { expected });
      // A runner that lost its lease to another instance must not write over the new runner.
      if (next.owner !== null) {
        update.andWhere('(owner IS NULL OR owner = :owner)', { owner: next.owner });
      }
      const result = await update.execute();
      if ((result.affected ?? 0) === 0) return false;
      for (const event of events) await insertOutbox(manager, event);
      return true;
    });
  }

  async find(mediator: string, id: string): Promise<WorkflowState | null> {
    const row = await this.dataSource.getRepository(WorkflowEntity).findOneBy({ mediator, id });
    return row ? toDomain(row) : null;
  }

  /**
   * A page of the mediator's workflows, newest first (REST `GET workflows?status=`). Ids are
   * UUIDv7, so their order is the start order and the id alone is an exact keyset cursor.
   */
  async page(
    mediator: string,
    status: WorkflowStatus | undefined,
    page: PageRequest,
  ): Promise<Page<WorkflowState>> {
    const query = this.dataSource
      .getRepository(WorkflowEntity)
      .createQueryBuilder('w')
      .where('w.mediator = :mediator', { mediator })
      .orderBy('w.id', 'DESC')
      .take(page.limit + 1);
    if (status) query.andWhere('w.status = :status', { status });
    if (page.after !== undefined) query.andWhere('w.id < :after', { after: page.after });
    return toPage((await query.getMany()).map(toDomain), page.limit, (w) => w.id);
  }

  async claimResumable(
    mediator: string,
    owner: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<WorkflowState[]> {
    return transaction(this.dataSource, async (manager) => {
      const candidates = await this.expired(manager, now)
        .andWhere('w.mediator = :mediator', { mediator })
        .select(['w.mediator', 'w.id'])
        .orderBy('w.created_at', 'ASC')
        .limit(CLAIM_BATCH)
        .getMany();
      const claimed: WorkflowState[] = [];
      for (const { id } of candidates) {
        const result = await manager
          .createQueryBuilder()
          .update(WorkflowEntity)
          .set({ owner, leaseUntil: String(leaseUntil.getTime()) })
          .where('mediator = :mediator AND id = :id', { mediator, id })
          .andWhere('status IN (:...statuses)', { statuses: UNFINISHED })
          .andWhere('(lease_until IS NULL OR lease_until <= :now)', { now: now.getTime() })
          .execute();
        if ((result.affected ?? 0) === 0) continue;
        const row = await manager.findOneBy(WorkflowEntity, { mediator, id });
        if (row) claimed.push(toDomain(row));
      }
      return claimed;
    });
  }

  /** Mediators that have unfinished workflows nobody holds: where a sweep has work. */
  async mediatorsWithResumable(now: Date): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(WorkflowEntity)
      .createQueryBuilder('w')
      .select('DISTINCT w.mediator', 'mediator')
      .where('w.status IN (:...statuses)', { statuses: UNFINISHED })
      .andWhere('(w.lease_until IS NULL OR w.lease_until <= :now)', { now: now.getTime() })
      .getRawMany<{ mediator: string }>();
    return rows.map((r) => r.mediator);
  }

  private expired(manager: EntityManager, now: Date) {
    const query = manager
      .getRepository(WorkflowEntity)
      .createQueryBuilder('w')
      .where('w.status IN (:...statuses)', { statuses: UNFINISHED })
      .andWhere('(w.lease_until IS NULL OR w.lease_until <= :now)', { now: now.getTime() });
    return this.dataSource.options.type === 'mysql'
      ? query.setLock('pessimistic_write').setOnLocked('skip_locked')
      : query;
  }
}

function toRow(s: WorkflowState): WorkflowEntity {
  const finished = FINISHED_WORKFLOW_STATUSES.includes(s.status);
  return {
    mediator: s.mediator,
    id: s.id,
    name: s.name,
    steps: JSON.stringify(s.steps),
    data: JSON.stringify(s.data ?? null),
    status: s.status,
    currentStep: s.currentStep,
    retryCount: s.retryCount,
    results: JSON.stringify(s.results),
    compensated: JSON.stringify(s.compensated),
    error: s.error,
    owner: finished ? null : s.owner,
    leaseUntil: finished || !s.leaseUntil ? null : String(s.leaseUntil.getTime()),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

function toDomain(row: WorkflowEntity): WorkflowState {
  return {
    id: row.id,
    mediator: row.mediator,
    name: row.name,
    steps: JSON.parse(row.steps) as WorkflowStepDefinition[],
    data: JSON.parse(row.data) as JsonValue,
    status: row.status as WorkflowStatus,
    currentStep: row.currentStep,
    retryCount: row.retryCount,
    results: JSON.parse(row.results) as Record<string, JsonValue>,
    compensated: JSON.parse(row.compensated) as string[],
    error: row.error,
    owner: row.owner,
    leaseUntil: row.leaseUntil === null ? null : new Date(Number(row.leaseUntil)),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}
