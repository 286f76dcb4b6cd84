import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '@mediator/config';
import { AuditEntity, MessageEntity, MessageRecipientEntity } from './documents/entities';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { OutboxLease1764100000000 } from './migrations/1764100000000-outbox-lease';
import { MessageRedelivery1764500000060 } from './migrations/1764500000060-message-redelivery';
import { Retention1764500000070 } from './migrations/1764500000070-retention';
import {
  ColleagueEntity,
  MediatorEntity,
  OutboxEntity,
  OutboxLeaseEntity,
} from './relational/entities';
import type { SqlTables } from './sql-tables';

/** The tables of the core (mediators, colleagues, outbox, messages, audit); kinds bring theirs. */
export const CORE_TABLES: SqlTables = {
  entities: [
    MediatorEntity,
    ColleagueEntity,
    OutboxEntity,
    OutboxLeaseEntity,
    MessageEntity,
    MessageRecipientEntity,
    AuditEntity,
  ],
  migrations: [
    InitialSchema1764000000000,
    OutboxLease1764100000000,
    MessageRedelivery1764500000060,
    Retention1764500000070,
  ],
};

/** The migration's timestamp: the 13 digits that end its class name (TypeORM's rule). */
export const migrationTimestamp = (migration: { name: string }): number =>
  Number(/(\d{13})$/.exec(migration.name)?.[1]);

/** The core's tables and the kinds', migrations in the order TypeORM runs them (timestamps). */
export function composeTables(kinds: readonly SqlTables[]): SqlTables {
  const all = [CORE_TABLES, ...kinds];
  return {
    entities: all.flatMap((t) => t.entities),
    migrations: all
      .flatMap((t) => t.migrations)
      .sort((a, b) => migrationTimestamp(a) - migrationTimestamp(b)),
  };
}

/**
 * Prepared statements TypeORM keeps per SQLite connection: every multi-row INSERT size of the
 * group commit (up to 200 rows) for each table it writes, with room for everything else.
 */
export const SQLITE_STATEMENT_CACHE = 2000;

/** SQLite (embedded default, WAL) or MySQL/MariaDB, always with migrations, never `synchronize`. */
export function dataSourceOptions(
  config: AppConfig,
  kinds: readonly SqlTables[] = [],
): DataSourceOptions {
  const { entities, migrations } = composeTables(kinds);
  const common = {
    entities,
    migrations,
    migrationsRun: true,
    synchronize: false,
    logging: false,
  } as const;
  const mysql = config.database.mysql;
  if (mysql.enabled) {
    return {
      ...common,
      type: 'mysql',
      host: mysql.host,
      port: mysql.port,
      username: mysql.username,
      password: mysql.password,
      database: mysql.database,
      timezone: 'Z',
      charset: 'utf8mb4',
      extra: { connectionLimit: 20 },
    };
  }
  const path =
    config.database.sqlite.path === ':memory:' ? ':memory:' : resolve(config.database.sqlite.path);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: path,
    enableWAL: true,
    // The group commit writes 1 to 200 rows per multi-row INSERT, a statement text per row count
    // and table: with TypeORM's default cache of 100 prepared statements they pushed each other
    // out and were prepared again on most commits.
    statementCacheSize: SQLITE_STATEMENT_CACHE,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('foreign_keys = ON');
      // WAL with synchronous = NORMAL: a commit is written to the WAL file before it returns (so
      // before any 202), and the WAL is fsynced at each checkpoint, not at each commit. A process
      // crash (kill -9, OOM) loses nothing that was committed: the OS still has the writes. A
      // power loss or kernel crash can lose the commits since the last checkpoint (at most
      // about 1000 pages of WAL, typically the last second or so) — the database stays
      // consistent, those messages are gone although they were answered 202. FULL would fsync
      // every commit; with the group commit that is one fsync per batch, not per message (about
      // 10 % fewer sends per second in the send benchmark on the development VM).
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      // Page cache, memory map and temp store stay at better-sqlite3's defaults (cache_size
      // -16000: 16 MiB; mmap_size 0; temp_store DEFAULT, a file). With 1,000,000 messages stored
      // (a 470 MB file), a 32 MiB cache + 256 MiB mmap + temp_store MEMORY changed neither the
      // send's nor the inbox page's CPU per request beyond the noise, nor a random inbox page
      // (≈ 220 µs of SQLite): a send and a page touch the B-trees' upper levels and their newest
      // leaves, and the OS caches the rest of the file. What had slowed them was a query plan
      // (sql-message-writes.ts, slotSql; docs/PERFORMANCE.md, "Growth").
    },
  };
}
