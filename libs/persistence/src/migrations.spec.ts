import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES, MIGRATIONS } from './data-source-options';
import { MessageRedelivery1764500000060 } from './migrations/1764500000060-message-redelivery';

const timestamp = (migration: (typeof MIGRATIONS)[number]) =>
  Number(/(\d{13})$/.exec(migration.name)![1]);

describe('migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mediator-migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const options = (migrations: DataSourceOptions['migrations']): DataSourceOptions => ({
    type: 'better-sqlite3',
    database: join(dir, 'db.sqlite'),
    entities: ENTITIES,
    migrations,
    synchronize: false,
    logging: false,
  });

  // TypeORM runs the migrations a database has not seen in timestamp order: two branches' with
  // the same timestamp, or one older than a migration already run, would be skipped or misordered.
  it('have strictly increasing timestamps, in the order they are listed', () => {
    const stamps = MIGRATIONS.map(timestamp);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  it('move a database migrated up to the redelivery migration forward to the latest', async () => {
    const upTo = MIGRATIONS.indexOf(MessageRedelivery1764500000060) + 1;
    const before = await new DataSource(options(MIGRATIONS.slice(0, upTo))).initialize();
    await before.runMigrations();
    await before.destroy();

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
});
