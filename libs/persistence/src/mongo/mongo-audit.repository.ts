import type { Connection, Model } from 'mongoose';
import { type Page, type PageRequest, toPage } from '../pagination';
import { type AuditEntry, type AuditFilter, AuditRepository } from '../ports';
import { AUDIT_MODEL, type AuditDocument, AuditSchema } from './audit.schema';
import { toAuditDocument, toAuditEntry } from './mongo.mapper';

/** Audit entries in MongoDB, paged by id (UUID v7, so oldest first). */
export class MongoAuditRepository extends AuditRepository {
  private readonly entries: Model<AuditDocument>;

  constructor(connection: Connection) {
    super();
    this.entries =
      (connection.models[AUDIT_MODEL] as Model<AuditDocument> | undefined) ??
      connection.model<AuditDocument>(AUDIT_MODEL, AuditSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.entries.createIndexes();
  }

  async append(entries: AuditEntry[]): Promise<void> {
    if (entries.length > 0)
      await this.entries.insertMany(entries.map(toAuditDocument), { lean: true });
  }

  async query(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const where: Record<string, unknown> = {};
    if (filter.mediator) where.mediator = filter.mediator;
    if (filter.actor) where.actor = filter.actor;
    if (filter.action) where.action = filter.action;
    if (filter.since || filter.until) {
      const at: Record<string, Date> = {};
      if (filter.since) at.$gte = filter.since;
      if (filter.until) at.$lte = filter.until;
      where.at = at;
    }
    if (page.after) where._id = { $gt: page.after };
    const docs = await this.entries
      .find(where)
      .sort({ _id: 1 })
      .limit(page.limit + 1)
      .lean<AuditDocument[]>();
    return toPage(docs.map(toAuditEntry), page.limit, (e) => e.id);
  }
}
