import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlTables } from '@mediator/persistence/sql';

const KINDS_DIR = join(__dirname, '..', '..', 'libs', 'kinds');

/**
 * Every kind library's SQL tables (`libs/kinds/<kind>/src/<kind>.tables.ts`), as the app's KINDS
 * list gives them to the service. Read from the files, not from KINDS: that list loads the
 * kinds' Nest modules, which jest cannot load (ESM-only Nest 12).
 */
export function kindTables(): SqlTables[] {
  return readdirSync(KINDS_DIR).flatMap((kind) => {
    const file = join(KINDS_DIR, kind, 'src', `${kind}.tables`);
    try {
      require.resolve(file);
    } catch {
      return []; // a kind without SQL tables (the request kinds)
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return Object.values(require(file) as Record<string, SqlTables>);
  });
}
