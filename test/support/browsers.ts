// The real browsers the console's tests drive: Debian's packages, installed by .ci/run with apt.
// No browser is ever downloaded.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './service';

/** Where the console's browser tests write their screenshots (shown in the README). */
export const SCREENSHOTS = join(ROOT, 'docs', 'console');

export interface InstalledBrowser {
  /** The environment variable that points at another executable. */
  env: string;
  /** Where Debian's package installs it. */
  path: string;
  /** The apt package to install. */
  aptPackage: string;
}

export const CHROMIUM: InstalledBrowser = {
  env: 'CHROMIUM_PATH',
  path: '/usr/bin/chromium',
  aptPackage: 'chromium',
};
export const FIREFOX: InstalledBrowser = {
  env: 'FIREFOX_PATH',
  path: '/usr/bin/firefox-esr',
  aptPackage: 'firefox-esr',
};

/**
 * The browser's executable. A missing browser fails the suite: skipping would let the console go
 * untested in that browser unnoticed.
 */
export function browserExecutable(browser: InstalledBrowser): string {
  const path = process.env[browser.env] ?? browser.path;
  if (!existsSync(path))
    throw new Error(
      `${path} is missing: install Debian's ${browser.aptPackage} ` +
        `(apt-get install ${browser.aptPackage}), or point ${browser.env} at the browser`,
    );
  return path;
}
