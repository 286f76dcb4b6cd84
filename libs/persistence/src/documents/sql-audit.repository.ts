import {
  type DataSource,
  type EntityManager,
  type FindOptionsWhere,
  Between,
  LessThanOrEqual,
  MoreThanOrEqual,
  MoreThan,
  type FindOperator,
} from 'typeorm';
import { type Page, type PageRequest, toPage } from '../pagination';
import { type AuditEntry, type AuditFilter, AuditRepository } from '../ports';
import { singleStatement, transaction } from '../relational/transaction';
import { AuditEntity } from './entities';
import { toAuditEntry, toAuditRow } from './mappers';
import { insertRows } from './sql-message-writes';

// 10 columns a row: well under SQLite's and MySQL's bound-parameter limits.
const AUDIT_ROWS_PER_INSERT = 200;

export class SqlAuditRepository extends AuditRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async append(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const insert = (manager: EntityManager) =>
      insertRows(manager, AuditEntity, entries.map(toAuditRow), AUDIT_ROWS_PER_INSERT);
    // One INSERT needs no transaction around it; more are all or nothing.
    await (entries.length <= AUDIT_ROWS_PER_INSERT
      ? singleStatement(this.dataSource, insert)
      : transaction(this.dataSource, insert));
  }

  async query(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const where: FindOptionsWhere<AuditEntity> = {};
    if (filter.mediator) where.mediator = filter.mediator;
    if (filter.actor) where.actor = filter.actor;
    if (filter.action) where.action = filter.action;
    const at = timeRange(filter.since, filter.until);
    if (at) where.at = at;
    if (page.after) where.id = MoreThan(page.after);
    const rows = await this.dataSource
      .getRepository(AuditEntity)
      .find({ where, order: { id: 'ASC' }, take: page.limit + 1 });
    return toPage(rows.map(toAuditEntry), page.limit, (e) => e.id);
  }
}

function timeRange(since?: Date, until?: Date): FindOperator<Date> | undefined {
  if (since && until) return Between(since, until);
  if (since) return MoreThanOrEqual(since);
  if (until) return LessThanOrEqual(until);
  return undefined;
}
