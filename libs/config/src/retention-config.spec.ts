import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

/** loadConfig over a YAML file holding only `retention` (JSON is YAML). */
function load(retention?: object) {
  const dir = mkdtempSync(join(tmpdir(), 'retention-config-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, JSON.stringify(retention === undefined ? {} : { retention }));
  return loadConfig({ CONFIG_FILE: file, JWT_SECRET: 'x'.repeat(32) }, dir).retention;
}

describe('retention settings', () => {
  it('keeps everything forever when the section is absent', () => {
    expect(load()).toEqual({
      ackedMessagesMs: 0,
      deadLettersMs: 0,
      auditMs: 0,
      eventsMs: 0,
      jobRunsMs: 0,
      finishedTasksMs: 0,
      sweepIntervalMs: 60_000,
      batchSize: 1000,
      batchPauseMs: 100,
    });
  });

  it('reads durations like 7d and 24h, and 0 as forever', () => {
    const retention = load({
      acked_messages: '7d',
      dead_letters: '30d',
      audit: '24h',
      events: 0,
      job_runs: '2s',
      finished_tasks: '1h30m',
      sweep_interval: '10s',
      batch_size: 500,
      batch_pause: '50ms',
    });
    expect(retention).toMatchObject({
      ackedMessagesMs: 7 * 86_400_000,
      deadLettersMs: 30 * 86_400_000,
      auditMs: 86_400_000,
      eventsMs: 0,
      jobRunsMs: 2000,
      finishedTasksMs: 5_400_000,
      sweepIntervalMs: 10_000,
      batchSize: 500,
      batchPauseMs: 50,
    });
  });

  it.each([
    [{ audit: 'a week' }, 'retention.audit: must be a duration'],
    [{ batch_size: 0 }, 'retention.batch_size: must be an integer between 1 and 10000'],
    [{ sweep_interval: '10ms' }, 'retention.sweep_interval: must be at least 100ms'],
  ])('refuses %j', (retention, problem) => {
    expect(() => load(retention)).toThrow(ConfigError);
    expect(() => load(retention)).toThrow(problem);
  });
});
