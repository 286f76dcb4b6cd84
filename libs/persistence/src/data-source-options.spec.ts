import type { AppConfig } from '@mediator/config';
import { dataSourceOptions } from './data-source-options';

describe('dataSourceOptions', () => {
  it('keeps a prepared statement for every multi-row INSERT size of every table on SQLite', () => {
    const config = {
      database: { mysql: { enabled: false }, sqlite: { path: ':memory:' } },
    } as unknown as AppConfig;
    const options = dataSourceOptions(config) as { type: string; statementCacheSize?: number };
    expect(options.type).toBe('better-sqlite3');
    // messages (up to 100 rows), recipients, outbox, outbox deletions, audit (up to 200 each)
    expect(options.statementCacheSize).toBeGreaterThanOrEqual(100 + 4 * 200);
  });
});
