import type { DataSource, EntityManager } from 'typeorm';
import { MessageEntity } from '../documents/entities';
import { transaction } from '../relational/transaction';
import { type Expiry, type PurgeBatch, RetentionStore, uuidV7Floor } from './retention-store';

interface Condition {
  sql: string;
  params: unknown[];
}

const NOTHING: PurgeBatch = { deleted: 0, more: false };

/**
 * Retention on SQLite and MySQL/MariaDB. Each call selects at most `limit` keys, then deletes
 * them with the condition checked again (another instance, or a redelivery, may have changed a
 * row in between). On SQLite the deletes take turns with the send path's commits (`transaction`).
 */
export class SqlRetentionStore extends RetentionStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async purgeMessages(expiries: Expiry[], limit: number, after = ''): Promise<PurgeBatch> {
    if (expiries.length === 0) return NOTHING;
    const latest = new Date(Math.max(...expiries.map((e) => e.before.getTime())));
    const done = this.messageDone('m', expiries);
    // Walked by id (UUID v7, time-ordered): the primary key bounds the scan to old messages.
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT m.id AS id FROM messages m WHERE m.id > ? AND m.id < ? AND m.created_at < ? ` +
        `AND ${done.sql} ORDER BY m.id LIMIT ${limit}`,
      [after, uuidV7Floor(latest), this.time(latest), ...done.params],
    );
    if (rows.length === 0) return NOTHING;
    const ids = rows.map((r) => r.id);
    const deleted = await transaction(this.dataSource, async (manager) => {
      const again = this.messageDone('messages', expiries);
      const affected = await this.run(
        manager,
        `DELETE FROM messages WHERE id IN (${marks(ids)}) AND ${again.sql}`,
        [...ids, ...again.params],
      );
      await this.run(
        manager,
        `DELETE FROM message_recipients WHERE message_id IN (${marks(ids)}) AND NOT EXISTS ` +
          '(SELECT 1 FROM messages m WHERE m.id = message_recipients.message_id)',
        ids,
      );
      return affected;
    });
    return { deleted, more: rows.length === limit, after: ids[ids.length - 1] };
  }

  purgeAudit(before: Date, limit: number): Promise<PurgeBatch> {
    return this.purgeKeys('audit_entries', 'id', 'at', limit, {
      sql: 'at < ?',
      params: [this.time(before)],
    });
  }

  purgeEvents(before: Date, limit: number): Promise<PurgeBatch> {
    return this.purgeKeys('kind_events', 'seq', 'published_at', limit, {
      sql: 'published_at < ?',
      params: [before.getTime()],
    });
  }

  purgeJobRuns(before: Date, limit: number): Promise<PurgeBatch> {
    return this.purgeKeys('job_runs', 'id', 'fired_at', limit, {
      sql: 'fired_at < ?',
      params: [before.getTime()],
    });
  }

  purgeTasks(expiries: Expiry[], limit: number): Promise<PurgeBatch> {
    if (expiries.length === 0) return Promise.resolve(NOTHING);
    const finished: Condition = {
      sql: `(${expiries.map(() => '(status = ? AND updated_at < ?)').join(' OR ')})`,
      params: expiries.flatMap((e) => [e.status, e.before.getTime()]),
    };
    // Checked again in the DELETE: the status and time of a task can change in between.
    return this.purgeKeys('tasks', 'seq', 'seq', limit, finished, true);
  }

  /**
   * SELECT the keys of up to `limit` rows (oldest first by `order`), then DELETE them; with
   * `recheck` the DELETE repeats the condition, for rows that can change in between.
   */
  private async purgeKeys(
    table: string,
    key: string,
    order: string,
    limit: number,
    where: Condition,
    recheck = false,
  ): Promise<PurgeBatch> {
    const rows: Array<{ k: string | number }> = await this.dataSource.query(
      `SELECT ${key} AS k FROM ${table} WHERE ${where.sql} ORDER BY ${order} LIMIT ${limit}`,
      where.params,
    );
    if (rows.length === 0) return NOTHING;
    const keys = rows.map((r) => r.k);
    const deleted = await transaction(this.dataSource, (manager) =>
      this.run(
        manager,
        `DELETE FROM ${table} WHERE ${key} IN (${marks(keys)})` +
          (recheck ? ` AND ${where.sql}` : ''),
        [...keys, ...(recheck ? where.params : [])],
      ),
    );
    return { deleted, more: rows.length === limit };
  }

  /**
   * Every recipient of message `m` is in an expiry's status since before its time (its last
   * change: the ack or the death, else — a slot dead before dead_at existed — the first delivery,
   * else the send); no recipient counts as acked.
   */
  private messageDone(m: string, expiries: Expiry[]): Condition {
    const changed = `COALESCE(r.acked_at, r.dead_at, r.delivered_at, ${m}.created_at)`;
    const expired = expiries.map(() => `(r.status = ? AND ${changed} < ?)`).join(' OR ');
    const params = expiries.flatMap((e) => [e.status, this.time(e.before)]);
    const acked = expiries.find((e) => e.status === 'acked');
    const hasRecipients = `EXISTS (SELECT 1 FROM message_recipients r WHERE r.message_id = ${m}.id)`;
    const sql =
      `NOT EXISTS (SELECT 1 FROM message_recipients r WHERE r.message_id = ${m}.id ` +
      `AND NOT (${expired})) AND ` +
      (acked ? `(${hasRecipients} OR ${m}.created_at < ?)` : hasRecipients);
    return { sql, params: acked ? [...params, this.time(acked.before)] : params };
  }

  /** A Date as the driver stores a datetime column (SQLite: UTC text; MySQL: a Date). */
  private time(at: Date): unknown {
    const column = this.dataSource
      .getMetadata(MessageEntity)
      .findColumnWithPropertyName('createdAt')!;
    return this.dataSource.driver.preparePersistentValue(at, column);
  }

  private async run(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
    const result = (await manager.queryRunner!.query(sql, params, true)) as { affected?: number };
    return result.affected ?? 0;
  }
}

function marks(values: unknown[]): string {
  return values.map(() => '?').join(', ');
}
