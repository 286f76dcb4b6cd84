import type { Logger } from '@nestjs/common';
import { BackgroundFailures } from './background-failures';

function recordingLogger() {
  const lines: { level: string; fields: unknown; msg: unknown }[] = [];
  const logger = {
    warn: (fields: unknown, msg?: unknown) => lines.push({ level: 'warn', fields, msg }),
    log: (msg: unknown) => lines.push({ level: 'log', fields: undefined, msg }),
  } as unknown as Logger;
  return { logger, lines };
}

const notConnected = Object.assign(new Error('No metadata for "TaskEntity" was found.'), {
  name: 'EntityMetadataNotFoundError',
});

describe('BackgroundFailures', () => {
  it('logs a database that is away once a minute with the count, without the stack, then the recovery', () => {
    const { logger, lines } = recordingLogger();
    const failures = new BackgroundFailures('claim sweep', logger);
    for (let s = 0; s < 61; s++) failures.failed(notConnected, s * 1000);
    failures.succeeded();
    failures.succeeded();

    expect(lines).toEqual([
      {
        level: 'warn',
        fields: { err: 'the database is not connected' },
        msg: 'claim sweep failed; retrying',
      },
      {
        level: 'warn',
        fields: { err: 'the database is not connected', failures: 60 },
        msg: 'claim sweep failed; retrying',
      },
      { level: 'log', fields: undefined, msg: 'claim sweep works again' },
    ]);
  });

  it('logs a new reason at once, with the error itself', () => {
    const { logger, lines } = recordingLogger();
    const failures = new BackgroundFailures('outbox relay', logger);
    const broken = new Error('ER_LOCK_DEADLOCK');
    failures.failed(notConnected, 0);
    failures.failed(broken, 1000);
    failures.failed(broken, 2000);

    expect(lines.map((l) => l.fields)).toEqual([
      { err: 'the database is not connected' },
      { err: broken },
    ]);
  });
});
