import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

/** loadConfig over a YAML file holding only `tree` (JSON is YAML). */
function load(tree: object) {
  const dir = mkdtempSync(join(tmpdir(), 'messaging-config-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, JSON.stringify(tree));
  return loadConfig({ CONFIG_FILE: file, JWT_SECRET: 'x'.repeat(32) }, dir);
}

function problem(tree: object): string {
  try {
    load(tree);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('messaging (redelivery) settings', () => {
  it('defaults: the ack timeout is 30 s or `timeout` when shorter, backoff 1s doubled up to 1m, a sweep every 1s', () => {
    expect(load({}).messaging).toEqual({
      ackTimeoutMs: 30_000,
      backoffMs: 1_000,
      maxBackoffMs: 60_000,
      sweepIntervalMs: 1_000,
    });
    // The original's "30m" is the longest a request may ask for, not a 30-minute ack wait.
    expect(load({ timeout: '30m' }).messaging.ackTimeoutMs).toBe(30_000);
    expect(load({ timeout: '5s' }).messaging.ackTimeoutMs).toBe(5_000);
  });

  it('messaging.ack_timeout overrides `timeout` for deliveries only', () => {
    const config = load({ timeout: '30m', messaging: { ack_timeout: '45s' } });
    expect(config.messaging.ackTimeoutMs).toBe(45_000);
    expect(config.timeoutMs).toBe(30 * 60_000);
  });

  it('refuses values that cannot work, naming the key', () => {
    expect(problem({ messaging: { ack_timeout: '0s' } })).toMatch(/messaging\.ack_timeout/);
    expect(problem({ messaging: { sweep_interval: '10ms' } })).toMatch(/messaging\.sweep_interval/);
    expect(problem({ messaging: { backoff: '2m', max_backoff: '1m' } })).toMatch(
      /messaging\.max_backoff/,
    );
    expect(problem({ messaging: { backoff: 'soon' } })).toMatch(/messaging\.backoff/);
  });
});
