// Every store contract against the embedded default: one in-memory SQLite database per suite.
import { auditRepositoryContract } from './audit-repository.contract';
import { colleagueRepositoryContract } from './colleague-repository.contract';
import { mediatorRemovalContract } from './mediator-removal.contract';
import { mediatorRepositoryContract } from './mediator-repository.contract';
import { messageRepositoryContract } from './message-repository.contract';
import { notificationWorkflowStores } from './kind-stores';
import {
  notificationStoreContract,
  workflowStoreContract,
} from './notification-workflow-store.contract';
import { outboxRepositoryContract } from './outbox-repository.contract';
import { kindRetentionContract, retentionStoreContract } from './retention-store.contract';
import { SQLITE_IN_MEMORY, sqlOptions, sqlStores } from './stores';

describe('SQLite stores (TypeORM better-sqlite3)', () => {
  const sqlite = () => sqlStores(sqlOptions(SQLITE_IN_MEMORY));
  mediatorRepositoryContract(sqlite());
  mediatorRemovalContract(sqlite());
  colleagueRepositoryContract(sqlite());
  messageRepositoryContract(sqlite());
  auditRepositoryContract(sqlite());
  outboxRepositoryContract(sqlite());
  retentionStoreContract(sqlite());
  kindRetentionContract(sqlite());
});

describe('SQLite kind stores (notifications, workflows)', () => {
  const sqlite = () => notificationWorkflowStores(sqlOptions(SQLITE_IN_MEMORY));
  notificationStoreContract(sqlite());
  workflowStoreContract(sqlite());
});
