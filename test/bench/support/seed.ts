/**
 * Seeding a stopped service's SQLite file directly, fast: rows are copied from a template row the
 * service itself wrote (through the API), with only their key changed. The schema is whatever the
 * migrations made, so the seed follows schema changes without being edited.
 */
import Database from 'better-sqlite3';

/** Time-ordered UUIDv7-shaped ids, `count` of them, all before now (older than any new message). */
export function pastIds(count: number): string[] {
  const start = Date.now() - count - 60_000;
  const ids: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const ts = (start + i).toString(16).padStart(12, '0');
    const tail = i.toString(16).padStart(15, '0');
    ids[i] =
      `${ts.slice(0, 8)}-${ts.slice(8)}-7${tail.slice(0, 3)}-8${tail.slice(3, 6)}-${tail.slice(6).padStart(12, '0')}`;
  }
  return ids;
}

interface Copy {
  table: string;
  /** The column holding the template's key; each copy gets one of `keys` there. */
  keyColumn: string;
  /** Extra condition on the template row (e.g. `mediator = 'large'`), with its values. */
  where?: { sql: string; values: unknown[] };
  /** Columns copied as NULL (unique keys other than the key: idempotency keys). */
  nullColumns?: string[];
}

/**
 * Copies the rows that hold `template` in each table's key column once per new key, in one
 * transaction. Autoincrement integer keys are left to SQLite.
 */
export function copyRows(file: string, template: string, keys: string[], copies: Copy[]): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    const statements = copies.map((copy) => {
      const columns = (
        db.prepare(`PRAGMA table_info("${copy.table}")`).all() as {
          name: string;
          type: string;
          pk: number;
        }[]
      ).filter((c) => !(c.pk === 1 && /int/i.test(c.type) && c.name !== copy.keyColumn));
      const select = columns.map((c) =>
        c.name === copy.keyColumn
          ? '?'
          : copy.nullColumns?.includes(c.name)
            ? 'NULL'
            : `"${c.name}"`,
      );
      const names = columns.map((c) => `"${c.name}"`).join(', ');
      const where = `"${copy.keyColumn}" = ?${copy.where ? ` AND ${copy.where.sql}` : ''}`;
      const statement = db.prepare(
        `INSERT INTO "${copy.table}" (${names}) SELECT ${select.join(', ')} FROM "${copy.table}" WHERE ${where}`,
      );
      return { statement, extra: copy.where?.values ?? [] };
    });
    db.transaction(() => {
      for (const key of keys)
        for (const { statement, extra } of statements) statement.run(key, template, ...extra);
    })();
  } finally {
    db.close();
  }
}
