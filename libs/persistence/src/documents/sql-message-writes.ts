import { type DataSource, type EntityManager, In } from 'typeorm';
import {
  aggregateStatus,
  type DeliveryStatus,
  type Envelope,
  type LifecycleEvent,
  type ReachableRecipients,
} from '@mediator/core';
import { OutboxEntity } from '../relational/entities';
import { markOutboxWritten } from '../relational/outbox-commits';
import { transaction } from '../relational/transaction';
import { type BatchOutcome, WriteCoalescer } from '../relational/write-coalescer';
import { isUniqueViolation } from '../sql-errors';
import { MessageEntity, MessageRecipientEntity } from './entities';
import { toEnvelope, toMessageRow } from './mappers';

/** One recipient's copy of one message. */
export interface Slot {
  mediator: string;
  messageId: string;
  recipientId: string;
}

export interface SavedMessage {
  envelope: Envelope;
  created: boolean;
}

/** The writes of the send path; everything queued while a commit runs goes into the next one. */
export type SqlWrite =
  | {
      kind: 'save';
      envelope: Envelope;
      recipientIds: string[];
      idempotencyKey: string | undefined;
      event: LifecycleEvent | null;
      /** Recipients whose copies are stored as delivered (the push follows the commit). */
      reachable: ReachableRecipients | null;
    }
  | { kind: 'delivered'; slot: Slot; at: Date; ackDueAt: number | null }
  | { kind: 'ack'; slot: Slot; at: Date }
  | { kind: 'event'; event: LifecycleEvent }
  | { kind: 'published'; seqs: string[] };

type Save = Extract<SqlWrite, { kind: 'save' }>;
type StatusWrite = Extract<SqlWrite, { kind: 'delivered' | 'ack' }>;
type WriteResult = SavedMessage | boolean | undefined;

/** What one commit carried, for the batch-size metric. */
export interface CommittedBatch {
  messages: number;
  /** Outbox events written (with the messages, or appended alone by the MongoDB message store). */
  events: number;
  /** Delivered and acked status changes. */
  statusUpdates: number;
}

const MAX_OPERATIONS_PER_COMMIT = 1000;
// Rows per INSERT and slots per UPDATE, well under SQLite's and MySQL's bound-parameter limits.
const MESSAGE_ROWS_PER_INSERT = 100;
const ROWS_PER_INSERT = 200;
const SLOTS_PER_UPDATE = 300;
/**
 * Writes of a group that share their times (a broadcast's deliveries, acks that arrived in the
 * same millisecond) from this many on get an UPDATE of their own with the times as plain
 * parameters: a `CASE` over n slots costs SQLite n comparisons per slot (4 × slower for 1,000).
 * 1,000 acks of a broadcast arrive over 100 ms or so, about 10 a millisecond: from 16 on most of
 * them went into the CASE (≈ 25 ms of SQLite per broadcast), from 4 on ≈ 14 ms.
 */
const MIN_SHARED_TIMES = 4;

const writers = new WeakMap<DataSource, SqlMessageWrites>();

/** The one write queue of a DataSource: the message and the outbox repositories share it. */
export function sqlMessageWrites(dataSource: DataSource): SqlMessageWrites {
  let writes = writers.get(dataSource);
  if (!writes) {
    writes = new SqlMessageWrites(dataSource);
    writers.set(dataSource, writes);
  }
  return writes;
}

/**
 * Group commit of the send path on a relational store. Messages with their recipients' copies
 * (already `delivered` for the recipients a push reaches at once, `pending` for the others) and
 * outbox events, the delivered status of later pushes (redeliveries, requests), acks, and the
 * relay's deletions of published events are queued; each commit writes everything queued with
 * multi-row INSERTs and one UPDATE per recipient (or per message, for a broadcast), so a busy
 * service commits once for many sends.
 * A promise settles only after the commit that holds its write: a 202 still means committed.
 * When a commit fails, its writes are retried one by one, so one bad write fails only itself.
 */
export class SqlMessageWrites {
  private readonly queue = new WriteCoalescer<SqlWrite, WriteResult>(
    (ops) => this.commit(ops),
    MAX_OPERATIONS_PER_COMMIT,
  );
  private readonly listeners: Array<(batch: CommittedBatch) => void> = [];

  constructor(private readonly dataSource: DataSource) {}

  save(write: Omit<Save, 'kind'>): Promise<SavedMessage> {
    return this.queue.submit({ kind: 'save', ...write }) as Promise<SavedMessage>;
  }

  async markDelivered(slot: Slot, at: Date, ackDueAt: number | null): Promise<void> {
    await this.queue.submit({ kind: 'delivered', slot, at, ackDueAt });
  }

  ack(slot: Slot, at: Date): Promise<boolean> {
    return this.queue.submit({ kind: 'ack', slot, at }) as Promise<boolean>;
  }

  async appendEvent(event: LifecycleEvent): Promise<void> {
    await this.queue.submit({ kind: 'event', event });
  }

  async removePublished(seqs: string[]): Promise<void> {
    await this.queue.submit({ kind: 'published', seqs });
  }

  /** Called after every commit (the metrics subscribe here). */
  observe(listener: (batch: CommittedBatch) => void): void {
    this.listeners.push(listener);
  }

  /** The first message stored with this sender's key, with its aggregate status. */
  async findByIdempotencyKey(
    manager: EntityManager,
    mediator: string,
    senderId: string,
    key: string,
  ): Promise<Envelope | null> {
    const row = await manager.findOneBy(MessageEntity, {
      mediator,
      senderId,
      idempotencyKey: key,
    });
    return row ? (await withStatuses(manager, [row]))[0] : null;
  }

  private async commit(ops: SqlWrite[]): Promise<BatchOutcome<WriteResult>[]> {
    try {
      const results = await transaction(this.dataSource, (manager) => write(manager, ops));
      this.report(ops, results);
      return results.map((value) => ({ ok: true, value }));
    } catch (error) {
      if (ops.length === 1) return [await this.retryAlone(ops[0], error)];
      const outcomes: BatchOutcome<WriteResult>[] = [];
      for (const op of ops) outcomes.push(await this.writeAlone(op));
      return outcomes;
    }
  }

  private async writeAlone(op: SqlWrite): Promise<BatchOutcome<WriteResult>> {
    try {
      const [value] = await transaction(this.dataSource, (manager) => write(manager, [op]));
      this.report([op], [value]);
      return { ok: true, value };
    } catch (error) {
      return this.retryAlone(op, error);
    }
  }

  /**
   * A save that lost a race for its idempotency key to another instance (MySQL: the key was
   * committed between this commit's check and its insert) answers with the winner's envelope.
   */
  private async retryAlone(op: SqlWrite, error: unknown): Promise<BatchOutcome<WriteResult>> {
    if (op.kind === 'save' && op.idempotencyKey && isUniqueViolation(error)) {
      const first = await this.findByIdempotencyKey(
        this.dataSource.manager,
        op.envelope.mediator,
        op.envelope.senderId,
        op.idempotencyKey,
      );
      if (first) return { ok: true, value: { envelope: first, created: false } };
    }
    return { ok: false, error };
  }

  private report(ops: SqlWrite[], results: WriteResult[]): void {
    const batch: CommittedBatch = { messages: 0, events: 0, statusUpdates: 0 };
    ops.forEach((op, i) => {
      if (op.kind === 'save' && (results[i] as SavedMessage).created) {
        batch.messages += 1;
        if (op.event) batch.events += 1;
      } else if (op.kind === 'event') batch.events += 1;
      else if (op.kind === 'delivered' || op.kind === 'ack') batch.statusUpdates += 1;
    });
    for (const listener of this.listeners) listener(batch);
  }
}

/** Everything of one commit, in one transaction; the results in the order of `ops`. */
async function write(manager: EntityManager, ops: SqlWrite[]): Promise<WriteResult[]> {
  const results: WriteResult[] = ops.map(() => undefined);
  const saves = await settleKnownKeys(manager, ops, results);

  await insertRows(
    manager,
    MessageEntity,
    saves.map((s) => toMessageRow(s.envelope, s.idempotencyKey)),
    MESSAGE_ROWS_PER_INSERT,
  );
  await insertRows(
    manager,
    MessageRecipientEntity,
    saves.flatMap((s) => s.recipientIds.map((id) => newSlot(s.envelope, id, s.reachable))),
    ROWS_PER_INSERT,
  );
  // The outbox keeps the order of the writes: seq is assigned in insertion order.
  const events = ops.flatMap((op, i) => {
    if (op.kind === 'event') return [op.event];
    if (op.kind === 'save' && op.event && (results[i] as SavedMessage | undefined)?.created)
      return [op.event];
    return [];
  });
  await insertRows(manager, OutboxEntity, events.map(toOutboxRow), ROWS_PER_INSERT);
  if (events.length > 0) markOutboxWritten(manager);

  const published = ops.flatMap((op) => (op.kind === 'published' ? op.seqs : []));
  await deleteOutbox(manager, published);

  // Delivered before acked: a slot delivered and acked in one commit ends up acked.
  const delivered = statusWrites(ops, 'delivered');
  for (const group of slotGroups(delivered.map(({ op }) => op)))
    await markDelivered(manager, group);
  const acks = statusWrites(ops, 'ack');
  const found = new Set<string>();
  for (const group of slotGroups(acks.map(({ op }) => op)))
    for (const key of await markAcked(manager, group)) found.add(key);
  for (const { op, index } of acks) results[index] = found.has(slotKey(op.slot));
  return results;
}

/**
 * Settles the saves whose idempotency key is already stored, or used by an earlier save of this
 * commit (both answer with the first envelope, `created: false`); returns the saves to insert.
 * On SQLite commits take turns, so the check and the insert cannot be raced; on MySQL a race with
 * another instance ends in a unique violation, and the retry one by one answers it.
 */
async function settleKnownKeys(
  manager: EntityManager,
  ops: SqlWrite[],
  results: WriteResult[],
): Promise<Save[]> {
  const keyOf = (s: Save) =>
    s.idempotencyKey === undefined
      ? undefined
      : JSON.stringify([s.envelope.mediator, s.envelope.senderId, s.idempotencyKey]);
  const keyed = ops.filter(
    (op): op is Save => op.kind === 'save' && op.idempotencyKey !== undefined,
  );
  const stored = new Map<string, Envelope>();
  if (keyed.length > 0) {
    const rows = await manager.find(MessageEntity, {
      where: keyed.map((s) => ({
        mediator: s.envelope.mediator,
        senderId: s.envelope.senderId,
        idempotencyKey: s.idempotencyKey,
      })),
    });
    for (const envelope of await withStatuses(manager, rows)) {
      const row = rows.find((r) => r.id === envelope.id)!;
      stored.set(JSON.stringify([row.mediator, row.senderId, row.idempotencyKey]), envelope);
    }
  }
  const toInsert: Save[] = [];
  ops.forEach((op, i) => {
    if (op.kind !== 'save') return;
    const key = keyOf(op);
    const first = key === undefined ? undefined : stored.get(key);
    if (first) {
      results[i] = { envelope: first, created: false };
      return;
    }
    if (key !== undefined) stored.set(key, op.envelope);
    results[i] = { envelope: op.envelope, created: true };
    toInsert.push(op);
  });
  return toInsert;
}

async function withStatuses(manager: EntityManager, rows: MessageEntity[]): Promise<Envelope[]> {
  if (rows.length === 0) return [];
  const slots = await manager.find(MessageRecipientEntity, {
    select: { messageId: true, status: true },
    where: { messageId: In(rows.map((r) => r.id)) },
  });
  return rows.map((row) =>
    toEnvelope(
      row,
      aggregateStatus(
        slots.filter((s) => s.messageId === row.id).map((s) => s.status as DeliveryStatus),
      ),
    ),
  );
}

/**
 * Multi-row INSERTs as plain prepared statements on the transaction's QueryRunner: the query
 * builder's cost grows with the square of the parameters, and nothing needs to be read back.
 * The table, the columns and the value conversions (dates) come from TypeORM's metadata.
 */
export async function insertRows<T extends object>(
  manager: EntityManager,
  entity: new () => T,
  rows: Partial<T>[],
  perInsert: number,
): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(entity);
  const columns = metadata.columns.filter((c) => !c.isGenerated);
  const into = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns
    .map((c) => driver.escape(c.databaseName))
    .join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (const chunk of chunks(rows, perInsert)) {
    const values = chunk.flatMap((row) =>
      columns.map((c) => driver.preparePersistentValue(c.getEntityValue(row), c) as unknown),
    );
    await manager.query(into + chunk.map(() => tuple).join(', '), values);
  }
}

async function deleteOutbox(manager: EntityManager, seqs: string[]): Promise<void> {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(OutboxEntity);
  const seq = driver.escape(metadata.findColumnWithPropertyName('seq')!.databaseName);
  for (const chunk of chunks(seqs, ROWS_PER_INSERT))
    await manager.query(
      `DELETE FROM ${driver.escape(metadata.tableName)} WHERE ${seq} IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
}

/** A new copy: delivered (with its time and ack deadline) when reachable now, else pending. */
function newSlot(
  envelope: Envelope,
  recipientId: string,
  reachable: ReachableRecipients | null,
): MessageRecipientEntity {
  const delivered = reachable?.ids.has(recipientId) ?? false;
  return {
    messageId: envelope.id,
    recipientId,
    mediator: envelope.mediator,
    status: delivered ? 'delivered' : 'pending',
    deliveredAt: delivered ? reachable!.at : null,
    ackedAt: null,
    deadAt: null,
    attempts: 0,
    dueAt: delivered && reachable!.ackDueAt !== null ? String(reachable!.ackDueAt) : null,
    lastError: null,
  };
}

function toOutboxRow(event: LifecycleEvent): Partial<OutboxEntity> {
  return {
    eventId: event.id,
    mediator: event.mediator,
    event: event.event,
    data: JSON.stringify(event.data ?? null),
    createdAt: event.timestamp,
  };
}

function statusWrites<K extends StatusWrite['kind']>(ops: SqlWrite[], kind: K) {
  return ops.flatMap((op, index) =>
    op.kind === kind ? [{ op: op as Extract<StatusWrite, { kind: K }>, index }] : [],
  );
}

/**
 * Status writes of one mediator that share a recipient (direct messages) or a message (a
 * broadcast), whichever makes fewer groups: each group is one UPDATE … WHERE … IN (…).
 */
interface SlotGroup {
  mediator: string;
  shared: { column: 'recipient_id' | 'message_id'; value: string };
  varying: 'recipient_id' | 'message_id';
  writes: StatusWrite[];
}

function slotGroups(writes: StatusWrite[]): SlotGroup[] {
  const byRecipient = groupBy(writes, (w) => JSON.stringify([w.slot.mediator, w.slot.recipientId]));
  const byMessage = groupBy(writes, (w) => JSON.stringify([w.slot.mediator, w.slot.messageId]));
  const perRecipient = byRecipient.size <= byMessage.size;
  const groups: SlotGroup[] = [];
  for (const group of (perRecipient ? byRecipient : byMessage).values()) {
    const { mediator, recipientId, messageId } = group[0].slot;
    for (const part of byTimes(group).flatMap((writes) => chunks(writes, SLOTS_PER_UPDATE)))
      groups.push({
        mediator,
        shared: perRecipient
          ? { column: 'recipient_id', value: recipientId }
          : { column: 'message_id', value: messageId },
        varying: perRecipient ? 'message_id' : 'recipient_id',
        writes: part,
      });
  }
  return groups;
}

/** The writes sharing their times, when enough do, each apart; the others together. */
function byTimes(writes: StatusWrite[]): StatusWrite[][] {
  if (writes.length < MIN_SHARED_TIMES) return [writes];
  const shared: StatusWrite[][] = [];
  const rest: StatusWrite[] = [];
  for (const same of groupBy(writes, timesKey).values())
    if (same.length >= MIN_SHARED_TIMES) shared.push(same);
    else rest.push(...same);
  return rest.length > 0 ? [...shared, rest] : shared;
}

function timesKey(w: StatusWrite): string {
  return `${w.at.getTime()} ${deadlineOf(w)}`;
}

function deadlineOf(w: StatusWrite): number | null {
  return w.kind === 'delivered' ? w.ackDueAt : null;
}

/**
 * pending or delivered → delivered (a redelivery pushes a slot again), each slot with its first
 * delivery time and its own ack deadline; never back from acked or dead.
 */
async function markDelivered(manager: EntityManager, group: SlotGroup): Promise<void> {
  const sql = slotSql(manager, group, ['pending', 'delivered']);
  const dueAt = manager.connection.driver.escape('due_at');
  const deadlines = sql.shared
    ? [deadlineOf(group.writes[0])]
    : group.writes.flatMap((w) => [varyingValue(group, w), deadlineOf(w)]);
  await manager.query(
    `UPDATE ${sql.table} SET ${sql.status} = 'delivered', ` +
      `${sql.deliveredAt} = COALESCE(${sql.deliveredAt}, ${sql.times}), ${dueAt} = ${sql.times} ` +
      `WHERE ${sql.where}`,
    [...sql.timeValues, ...deadlines, ...sql.whereValues],
  );
}

/**
 * Sets acked (keeping the first ack's time) and returns the keys of the slots that exist. When
 * every slot was updated they all exist and nothing is read; only a repeated or unknown ack
 * costs a SELECT.
 */
async function markAcked(manager: EntityManager, group: SlotGroup): Promise<string[]> {
  const sql = slotSql(manager, group, UNACKED);
  const result = await manager.queryRunner!.query(
    `UPDATE ${sql.table} SET ${sql.status} = 'acked', ${sql.ackedAt} = ${sql.times}, ` +
      `${sql.deliveredAt} = COALESCE(${sql.deliveredAt}, ${sql.times}), ` +
      `${manager.connection.driver.escape('due_at')} = NULL ` +
      `WHERE ${sql.where}`,
    [...sql.timeValues, ...sql.timeValues, ...sql.whereValues],
    true,
  );
  const keys = new Set(group.writes.map((w) => slotKey(w.slot)));
  if ((result.affected ?? 0) >= keys.size) return [...keys];
  const any = slotSql(manager, group, EVERY_STATUS);
  const existing: Array<{ id: string }> = await manager.query(
    `SELECT ${any.varying} AS id FROM ${any.table} WHERE ${any.where}`,
    any.whereValues,
  );
  const existingIds = new Set(existing.map((row) => row.id));
  return group.writes
    .filter((w) => existingIds.has(varyingValue(group, w)))
    .map((w) => slotKey(w.slot));
}

const EVERY_STATUS: readonly DeliveryStatus[] = ['pending', 'delivered', 'acked', 'dead'];
const UNACKED = EVERY_STATUS.filter((s) => s !== 'acked');

/**
 * The pieces of one group's statement: `WHERE mediator = ? AND <shared> = ? AND <varying> IN (…)
 * AND status IN (<statuses>)` and `CASE <varying> WHEN ? THEN ? … END`, which gives every slot
 * its own time. The status is always an IN list, never `<> 'acked'` or left out: then all four
 * columns of idx_inbox (mediator, recipient_id, status, message_id) are equalities and each slot
 * is a lookup. Without it SQLite used idx_inbox on (mediator, recipient_id) alone and read every
 * copy the recipient ever received, in each ack commit: 175 ms per commit for a recipient with
 * 1,000,000 stored copies, the send falling to 0.13 × its empty-database rate (issue 8, goal 6).
 */
function slotSql(manager: EntityManager, group: SlotGroup, statuses: readonly DeliveryStatus[]) {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(MessageRecipientEntity);
  const column = (property: string) => metadata.findColumnWithPropertyName(property)!;
  const name = (property: string) => driver.escape(column(property).databaseName);
  const varying = driver.escape(group.varying);
  const ids = [...new Set(group.writes.map((w) => varyingValue(group, w)))];
  const at = column('deliveredAt');
  // byTimes put writes that share their times together: then no CASE is needed.
  const [first] = group.writes;
  const shared = group.writes.every(
    (w) => w.at.getTime() === first.at.getTime() && deadlineOf(w) === deadlineOf(first),
  );
  return {
    shared,
    table: driver.escape(metadata.tableName),
    status: name('status'),
    deliveredAt: name('deliveredAt'),
    ackedAt: name('ackedAt'),
    varying,
    times: shared
      ? '?'
      : `CASE ${varying} ${group.writes.map(() => 'WHEN ? THEN ?').join(' ')} END`,
    timeValues: shared
      ? [driver.preparePersistentValue(group.writes[0].at, at) as unknown]
      : group.writes.flatMap((w) => [
          varyingValue(group, w),
          driver.preparePersistentValue(w.at, at) as unknown,
        ]),
    where:
      `${name('mediator')} = ? AND ${driver.escape(group.shared.column)} = ? ` +
      `AND ${varying} IN (${ids.map(() => '?').join(', ')}) ` +
      `AND ${name('status')} IN (${statuses.map((s) => `'${s}'`).join(', ')})`,
    whereValues: [group.mediator, group.shared.value, ...ids],
  };
}

function varyingValue(group: SlotGroup, w: StatusWrite): string {
  return group.varying === 'message_id' ? w.slot.messageId : w.slot.recipientId;
}

function slotKey(slot: Slot): string {
  return JSON.stringify([slot.mediator, slot.messageId, slot.recipientId]);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
