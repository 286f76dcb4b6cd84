import type { Connection, Model, Schema } from 'mongoose';
import { AUDIT_MODEL, type AuditDocument, AuditSchema } from '../mongo/audit.schema';
import {
  MESSAGE_MODEL,
  type MessageDocument,
  MessageSchema,
  RECIPIENT_MODEL,
  type RecipientDocument,
  RecipientSchema,
} from '../mongo/message.schema';
import { type Expiry, type PurgeBatch, RetentionStore, uuidV7Floor } from './retention-store';

const NOTHING: PurgeBatch = { deleted: 0, more: false };

/**
 * Retention of the documents kept in MongoDB (messages, audit); the kinds' tables stay in SQL and
 * are purged by `relational`. With no multi-document transaction (FerretDB), a message is checked
 * in memory and its document deleted before its recipients': a crash in between leaves orphan
 * recipients, which reads skip (see MongoMessageRepository) and the next pass of this sweep does
 * not see; they are small and rare. For the same reason a dead letter redelivered
 * (`POST …/redeliver`) in the instant between this check and the delete can still be purged;
 * on SQL the DELETE checks the statuses again in its transaction.
 */
export class MongoRetentionStore extends RetentionStore {
  private readonly messages: Model<MessageDocument>;
  private readonly recipients: Model<RecipientDocument>;
  private readonly audit: Model<AuditDocument>;

  constructor(
    connection: Connection,
    private readonly relational: RetentionStore,
  ) {
    super();
    const model = <T>(name: string, schema: Schema<T>) =>
      (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
    this.messages = model<MessageDocument>(MESSAGE_MODEL, MessageSchema);
    this.recipients = model<RecipientDocument>(RECIPIENT_MODEL, RecipientSchema);
    this.audit = model<AuditDocument>(AUDIT_MODEL, AuditSchema);
  }

  async purgeMessages(expiries: Expiry[], limit: number, after = ''): Promise<PurgeBatch> {
    if (expiries.length === 0) return NOTHING;
    const latest = new Date(Math.max(...expiries.map((e) => e.before.getTime())));
    const candidates = await this.messages
      .find({ _id: { $gt: after, $lt: uuidV7Floor(latest) }, created_at: { $lt: latest } })
      .select({ _id: 1, created_at: 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<Array<Pick<MessageDocument, '_id' | 'created_at'>>>();
    if (candidates.length === 0) return NOTHING;
    const slots = await this.recipients
      .find({ message_id: { $in: candidates.map((c) => c._id) } })
      .lean<RecipientDocument[]>();
    const purgeable = candidates
      .filter((c) =>
        isDone(
          c.created_at,
          slots.filter((s) => s.message_id === c._id),
          expiries,
        ),
      )
      .map((c) => c._id);
    let deleted = 0;
    if (purgeable.length > 0) {
      deleted = (await this.messages.deleteMany({ _id: { $in: purgeable } })).deletedCount;
      await this.recipients.deleteMany({ message_id: { $in: purgeable } });
    }
    return {
      deleted,
      more: candidates.length === limit,
      after: candidates[candidates.length - 1]._id,
    };
  }

  async purgeAudit(before: Date, limit: number): Promise<PurgeBatch> {
    const ids = await this.audit
      .find({ at: { $lt: before } })
      .select({ _id: 1 })
      .sort({ at: 1 })
      .limit(limit)
      .lean<Array<Pick<AuditDocument, '_id'>>>();
    if (ids.length === 0) return NOTHING;
    const { deletedCount } = await this.audit.deleteMany({ _id: { $in: ids.map((d) => d._id) } });
    return { deleted: deletedCount, more: ids.length === limit };
  }

  purgeEvents(before: Date, limit: number): Promise<PurgeBatch> {
    return this.relational.purgeEvents(before, limit);
  }

  purgeJobRuns(before: Date, limit: number): Promise<PurgeBatch> {
    return this.relational.purgeJobRuns(before, limit);
  }

  purgeTasks(expiries: Expiry[], limit: number): Promise<PurgeBatch> {
    return this.relational.purgeTasks(expiries, limit);
  }
}

/** The rule of `RetentionStore.purgeMessages`, on one message and its recipients. */
function isDone(createdAt: Date, slots: RecipientDocument[], expiries: Expiry[]): boolean {
  if (slots.length === 0) {
    const acked = expiries.find((e) => e.status === 'acked');
    return acked !== undefined && createdAt < acked.before;
  }
  return slots.every((slot) => {
    const changed = slot.acked_at ?? slot.dead_at ?? slot.delivered_at ?? createdAt;
    return expiries.some((e) => e.status === slot.status && changed < e.before);
  });
}
