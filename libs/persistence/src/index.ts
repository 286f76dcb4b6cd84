export { PersistenceModule } from './persistence.module';
export {
  MediatorRepository,
  ColleagueRepository,
  MessageRepository,
  AuditRepository,
  OutboxRepository,
  type StoredMessage,
  type DeliveryCounts,
  type DeliverySlot,
  type DueDelivery,
  type FailureOutcome,
  type AuditEntry,
  type AuditFilter,
  type AuditOutcome,
  type Transport,
  type OutboxRecord,
} from './ports';
export { type Page, type PageRequest, decodeCursor, encodeCursor } from './pagination';
export { CachedMediatorRepository, CachedColleagueRepository } from './cached-repositories';
export { dataSourceOptions, CORE_TABLES, composeTables } from './data-source-options';
export { type SqlTables } from './sql-tables';
export { TypeOrmMediatorRepository } from './relational/typeorm-mediator.repository';
export { TypeOrmColleagueRepository } from './relational/typeorm-colleague.repository';
export { TypeOrmOutboxRepository } from './relational/typeorm-outbox.repository';
export { SqlMessageRepository } from './documents/sql-message.repository';
export { SqlAuditRepository } from './documents/sql-audit.repository';
export { type CommittedBatch, sqlMessageWrites } from './documents/sql-message-writes';
export { RetentionStore, type Expiry, type PurgeBatch } from './retention/retention-store';
export { SqlRetentionStore } from './retention/sql-retention.store';
export { MongoRetentionStore } from './retention/mongo-retention.store';
export { RetentionService } from './retention/retention.service';
export { RetentionSweep, type PurgeCounts } from './retention/retention-sweep';
export { BackgroundFailures, isStoreNotConnected } from './background-failures';
export { PeriodicTask } from './periodic-task';
