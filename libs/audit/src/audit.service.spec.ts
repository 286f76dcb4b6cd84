import { ForbiddenError, ManualClock, ValidationError } from '@mediator/core';
import type { AuditEntry, AuditRepository } from '@mediator/persistence';
import { AuditService } from './audit.service';

/** The entries an AuditService writes, read back through its own query (which flushes first). */
function auditWith(clock = new ManualClock('2026-05-06T07:08:09.000Z')) {
  const written: AuditEntry[] = [];
  const repository = {
    append: async (entries: AuditEntry[]) => void written.push(...entries),
    query: async () => ({ items: written, nextCursor: null }),
  } as unknown as AuditRepository;
  const audit = new AuditService(repository, clock);
  const entries = async () => (await audit.query({}, { limit: 100 })).items;
  return { audit, entries, clock };
}

const call = {
  transport: 'kafka' as const,
  action: 'send_message',
  actor: 'svc-a',
  mediator: 'orders',
  target: 'm-1',
  requestId: 'corr-1',
};

describe('AuditService', () => {
  it('writes a success with the caller, the target and the clock’s time, without details', async () => {
    const { audit, entries } = auditWith();
    audit.succeeded(call);

    expect(await entries()).toEqual([
      expect.objectContaining({
        ...call,
        outcome: 'ok',
        details: {},
        at: new Date('2026-05-06T07:08:09.000Z'),
      }),
    ]);
  });

  it('writes a refusal as denied and any other failure as an error, with the error’s code', async () => {
    const { audit, entries } = auditWith();
    audit.failed(call, new ForbiddenError('no'));
    audit.failed(call, new ValidationError('bad', []));
    audit.failed(call, new Error('boom'));

    expect((await entries()).map((e) => [e.outcome, e.details])).toEqual([
      ['denied', { code: 'FORBIDDEN' }],
      ['error', { code: 'VALIDATION_FAILED' }],
      ['error', { code: 'INTERNAL_ERROR' }],
    ]);
  });

  it('counts the refusals of callers without a valid token in one row per ip, action and code', async () => {
    const { audit, entries, clock } = auditWith();
    const anonymous = { transport: 'http' as const, action: 'send_message', ip: '10.0.0.1' };
    audit.failed(anonymous, new ForbiddenError('no'));
    clock.advance(1000);
    audit.failed(anonymous, new ForbiddenError('no'));

    expect(await entries()).toEqual([
      expect.objectContaining({
        actor: 'anonymous',
        transport: 'http',
        action: 'send_message',
        outcome: 'denied',
        details: { code: 'FORBIDDEN', ip: '10.0.0.1', count: 2, since: '2026-05-06T07:08:09.000Z' },
      }),
    ]);
  });
});
