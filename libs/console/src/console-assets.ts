import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build` writes the console (apps/console, bundled by esbuild). */
export const CONSOLE_DIST = join(__dirname, '..', '..', '..', 'console');

/** The console's URL prefix; the page is open, every data call it makes carries the user's token. */
export const CONSOLE_PREFIX = '/console/';

export function consoleBuilt(dir = CONSOLE_DIST): boolean {
  return existsSync(join(dir, 'index.html'));
}
