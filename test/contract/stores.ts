import { createConnection, type Connection } from 'mongoose';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '@mediator/config';
import { dataSourceOptions } from '@mediator/persistence/data-source-options';
import { SqlAuditRepository } from '@mediator/persistence/documents/sql-audit.repository';
import { SqlMessageRepository } from '@mediator/persistence/documents/sql-message.repository';
import { MongoAuditRepository } from '@mediator/persistence/mongo/mongo-audit.repository';
import { MongoMessageRepository } from '@mediator/persistence/mongo/mongo-message.repository';
import { TypeOrmColleagueRepository } from '@mediator/persistence/relational/typeorm-colleague.repository';
import { TypeOrmMediatorRepository } from '@mediator/persistence/relational/typeorm-mediator.repository';
import { TypeOrmOutboxRepository } from '@mediator/persistence/relational/typeorm-outbox.repository';
import { MongoRetentionStore } from '@mediator/persistence/retention/mongo-retention.store';
import { SqlRetentionStore } from '@mediator/persistence/retention/sql-retention.store';
import { kindTables } from '../support/kind-tables';
import { type Harness, type Stores, cleanSqlTables } from './harness';

type DatabaseConfig = Pick<AppConfig['database'], 'sqlite' | 'mysql'>;

/** The TypeORM options the service would use for this database config (migrations included). */
export function sqlOptions(database: DatabaseConfig): DataSourceOptions {
  return dataSourceOptions({ database } as AppConfig, kindTables());
}

export const SQLITE_IN_MEMORY: DatabaseConfig = {
  sqlite: { path: ':memory:' },
  mysql: { enabled: false, host: '', port: 0, username: '', password: '', database: '' },
};

/** Every port on one SQL database (SQLite or MySQL): the embedded default's wiring. */
export function sqlStores(
  options: DataSourceOptions,
): Harness<Stores> & { dataSource(): DataSource } {
  let ds: DataSource | undefined;
  const dataSource = () => {
    if (!ds) throw new Error('SQL store not opened');
    return ds;
  };
  return {
    dataSource,
    async open() {
      ds = await new DataSource(options).initialize();
      const outbox = new TypeOrmOutboxRepository(ds);
      return {
        mediators: new TypeOrmMediatorRepository(ds),
        colleagues: new TypeOrmColleagueRepository(ds),
        outbox,
        messages: new SqlMessageRepository(ds),
        audit: new SqlAuditRepository(ds),
        retention: new SqlRetentionStore(ds),
      };
    },
    clean: () => cleanSqlTables(dataSource()),
    async close() {
      await ds?.destroy();
    },
  };
}

/**
 * Messages and audit in MongoDB, the rest (and the outbox the messages' events go to) on the
 * given SQL store: the production wiring. Each run uses its own database, dropped at the end.
 */
export function mongoStores(
  uri: string,
  dbName: string,
  sql: Harness<Stores> & { dataSource(): DataSource },
): Harness<Stores> {
  let connection: Connection | undefined;
  return {
    async open() {
      const relational = await sql.open();
      connection = await createConnection(uri, {
        dbName,
        autoIndex: false,
        serverSelectionTimeoutMS: 5000,
      }).asPromise();
      const messages = new MongoMessageRepository(connection, relational.outbox);
      const audit = new MongoAuditRepository(connection);
      await messages.ensureIndexes();
      await audit.ensureIndexes();
      const retention = new MongoRetentionStore(connection, relational.retention);
      // As the service wires it: deleting a mediator also deletes its messages in MongoDB.
      const mediators = new TypeOrmMediatorRepository(sql.dataSource(), {
        removeMediator: (name) => messages.removeMediator(name),
        lateRemovalFailed: (_name, error) => {
          throw error;
        },
      });
      return { ...relational, mediators, messages, audit, retention };
    },
    async clean() {
      await sql.clean();
      const db = connection!.db!;
      for (const c of await db.collections()) await c.deleteMany({});
    },
    async close() {
      try {
        await connection?.dropDatabase();
        await connection?.close();
      } finally {
        await sql.close();
      }
    },
  };
}
