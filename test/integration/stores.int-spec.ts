// Every store contract against the real servers: MariaDB/MySQL (TypeORM mysql, the service's
// migrations) and MongoDB/FerretDB (the Mongoose adapters, events to the MySQL outbox).
import { auditRepositoryContract } from '../contract/audit-repository.contract';
import { colleagueRepositoryContract } from '../contract/colleague-repository.contract';
import { mediatorRemovalContract } from '../contract/mediator-removal.contract';
import { mediatorRepositoryContract } from '../contract/mediator-repository.contract';
import { messageRepositoryContract } from '../contract/message-repository.contract';
import { outboxRepositoryContract } from '../contract/outbox-repository.contract';
import {
  kindRetentionContract,
  retentionStoreContract,
} from '../contract/retention-store.contract';
import type { Harness, Stores } from '../contract/harness';
import {
  type NotificationWorkflowStores,
  notificationWorkflowStores,
} from '../contract/kind-stores';
import {
  notificationStoreContract,
  workflowStoreContract,
} from '../contract/notification-workflow-store.contract';
import { mongoStores, sqlOptions, sqlStores } from '../contract/stores';
import { type MongoServer, type MysqlServer, mongoServer, mysqlServer } from './support/servers';

/** Resolves the server in beforeAll (so a missing one fails the suite) and then opens the stores. */
function deferred(make: () => Promise<Harness<Stores>>): Harness<Stores> {
  let inner: Harness<Stores> | undefined;
  return {
    async open() {
      inner = await make();
      return inner.open();
    },
    clean: () => inner!.clean(),
    close: async () => inner?.close(),
  };
}

function mysql(server: MysqlServer) {
  return sqlStores(
    sqlOptions({
      sqlite: { path: ':memory:' },
      mysql: {
        enabled: true,
        host: server.host,
        port: server.port,
        username: server.username,
        password: server.password,
        database: server.testDatabase,
      },
    }),
  );
}

const onMysql = () => deferred(async () => mysql(await mysqlServer()));
const onMongo = () =>
  deferred(async () => {
    const [mongo, sql]: [MongoServer, MysqlServer] = await Promise.all([
      mongoServer(),
      mysqlServer(),
    ]);
    return mongoStores(mongo.uri, mongo.uniqueDatabase('mediator_contract'), mysql(sql));
  });

describe('MySQL/MariaDB stores (TypeORM mysql)', () => {
  mediatorRepositoryContract(onMysql());
  mediatorRemovalContract(onMysql());
  colleagueRepositoryContract(onMysql());
  messageRepositoryContract(onMysql());
  auditRepositoryContract(onMysql());
  outboxRepositoryContract(onMysql());
  retentionStoreContract(onMysql());
});

describe('MySQL/MariaDB retention of the kinds (events, job runs, tasks)', () => {
  let inner: ReturnType<typeof mysql> | undefined;
  kindRetentionContract({
    async open() {
      inner = mysql(await mysqlServer());
      return inner.open();
    },
    clean: () => inner!.clean(),
    close: async () => inner?.close(),
    dataSource: () => inner!.dataSource(),
  });
});

describe('MongoDB stores (Mongoose on FerretDB; events to the MySQL outbox)', () => {
  messageRepositoryContract(onMongo());
  mediatorRemovalContract(onMongo());
  auditRepositoryContract(onMongo());
  retentionStoreContract(onMongo());
});

const kindStoresOnMysql = (): Harness<NotificationWorkflowStores> => {
  let inner: Harness<NotificationWorkflowStores> | undefined;
  return {
    async open() {
      const server = await mysqlServer();
      inner = notificationWorkflowStores(
        sqlOptions({
          sqlite: { path: ':memory:' },
          mysql: {
            enabled: true,
            host: server.host,
            port: server.port,
            username: server.username,
            password: server.password,
            database: server.testDatabase,
          },
        }),
      );
      return inner.open();
    },
    clean: () => inner!.clean(),
    close: async () => inner?.close(),
  };
};

describe('MySQL/MariaDB kind stores (notifications, workflows)', () => {
  notificationStoreContract(kindStoresOnMysql());
  workflowStoreContract(kindStoresOnMysql());
});
