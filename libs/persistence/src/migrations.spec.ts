import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { Events1764350000030 } from '../../../test/fixtures/main-migrations/1764350000030-events';
import { ResourceReserved1764500000050 } from '../../../test/fixtures/main-migrations/1764500000050-resource-reserved';
import { NotificationsWorkflows1764200000010 } from '../../../test/fixtures/main-migrations/1764200000010-notifications-workflows';
import { ServicesResources1764300000020 } from '../../../test/fixtures/main-migrations/1764300000020-services-resources';
import { TasksJobs1764400000040 } from '../../../test/fixtures/main-migrations/1764400000040-tasks-jobs';
import { Retention1764500000070 } from '../../../test/fixtures/main-migrations/1764500000070-retention';
import { kindTables } from '../../../test/support/kind-tables';
import { composeTables, migrationTimestamp } from './data-source-options';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { OutboxLease1764100000000 } from './migrations/1764100000000-outbox-lease';
import { MessageRedelivery1764500000060 } from './migrations/1764500000060-message-redelivery';

/** What the service runs: the core's migrations and every kind library's. */
const { entities: ENTITIES, migrations: MIGRATIONS } = composeTables(kindTables());

/** The list the service ran before each kind had its library (the combined ones frozen). */
const BEFORE_KIND_LIBRARIES = [
  InitialSchema1764000000000,
  OutboxLease1764100000000,
  NotificationsWorkflows1764200000010,
  ServicesResources1764300000020,
  Events1764350000030,
  TasksJobs1764400000040,
  ResourceReserved1764500000050,
  MessageRedelivery1764500000060,
  Retention1764500000070,
];

describe('migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mediator-migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const options = (
    migrations: DataSourceOptions['migrations'],
    file = 'db.sqlite',
  ): DataSourceOptions => ({
    type: 'better-sqlite3',
    database: join(dir, file),
    entities: ENTITIES,
    migrations,
    synchronize: false,
    logging: false,
  });

  const migrate = async (migrations: DataSourceOptions['migrations'], file?: string) => {
    const ds = await new DataSource(options(migrations, file)).initialize();
    const ran = await ds.runMigrations();
    return { ds, ran: ran.map((m) => m.name) };
  };

  /** Every table and index as SQLite would recreate it, the recorded migrations aside. */
  const schema = (ds: DataSource): Promise<unknown[]> =>
    ds.query(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    );

  // TypeORM runs the migrations a database has not seen in timestamp order: two with the same
  // timestamp would be misordered, whichever library they come from.
  it('have distinct timestamps and are run in their order', () => {
    const stamps = MIGRATIONS.map(migrationTimestamp);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  it('move a database migrated up to the redelivery migration forward to the latest', async () => {
    const upTo = MIGRATIONS.indexOf(MessageRedelivery1764500000060) + 1;
    const before = await migrate(MIGRATIONS.slice(0, upTo));
    await before.ds.destroy();

    const after = await new DataSource(options(MIGRATIONS)).initialize();
    try {
      const ran = await after.runMigrations();
      expect(ran.map((m) => m.name)).toEqual(MIGRATIONS.slice(upTo).map((m) => m.name));
      const columns: Array<{ name: string }> = await after.query(
        "SELECT name FROM pragma_table_info('message_recipients')",
      );
      expect(columns.map((c) => c.name)).toEqual(
        expect.arrayContaining(['due_at', 'attempts', 'dead_at']),
      );
      expect(await after.showMigrations()).toBe(false);
    } finally {
      await after.destroy();
    }
  });

  it('take a database migrated before the kind libraries to the schema of a fresh one', async () => {
    const old = await migrate(BEFORE_KIND_LIBRARIES, 'old.sqlite');
    await old.ds.destroy();
    const moved = await migrate(MIGRATIONS, 'old.sqlite');
    const fresh = await migrate(MIGRATIONS, 'fresh.sqlite');
    try {
      // Only the new halves of the split migrations run, and find their tables and indexes there.
      expect(moved.ran).toEqual([
        'Workflows1764200000011',
        'Resources1764300000021',
        'Jobs1764400000041',
        'EventsPublishedIndex1764500000071',
        'JobRunsFiredIndex1764500000072',
        'TasksFinishedIndex1764500000073',
      ]);
      expect(await schema(moved.ds)).toEqual(await schema(fresh.ds));
      expect(await moved.ds.showMigrations()).toBe(false);
    } finally {
      await moved.ds.destroy();
      await fresh.ds.destroy();
    }
  });
});
