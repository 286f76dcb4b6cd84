import { readFileSync } from 'fs';
import { join } from 'path';
import { main } from './in-process';

describe('the in-process example', () => {
  it('sends, replies, broadcasts, reports events and fails with the documented codes', async () => {
    const lines: string[] = [];

    const observed = await main((line) => lines.push(line));

    expect(observed.sent).toMatchObject({
      senderId: 'user-service',
      recipientId: 'email-service',
      type: 'user_created',
      payload: { name: 'Ada', email: 'ada@example.com' },
    });
    expect(observed.outbox).toEqual(['Welcome, Ada! -> ada@example.com']);
    expect(observed.replies).toEqual(['welcome_email_sent from email-service']);
    expect(observed.broadcastRecipients).toBe(2);
    expect(observed.auditLog).toEqual(['user-service: {"notice":"maintenance at 02:00"}']);
    expect(observed.events).toEqual([
      'colleague_registered',
      'colleague_registered',
      'colleague_registered',
      'message_sent',
      'message_sent',
      'message_broadcasted',
      'colleague_unregistered',
    ]);
    expect(observed.errorCodes).toEqual([
      'COLLEAGUE_NOT_FOUND',
      'COLLEAGUE_EXISTS',
      'VALIDATION_FAILED',
      'MEDIATOR_EXISTS',
      'MAX_MEDIATORS_REACHED',
      'VALIDATION_FAILED',
      'MEDIATOR_NOT_FOUND',
    ]);
    expect(observed.mediators).toEqual(['orders']);
    expect(lines).toContain(
      "COLLEAGUE_NOT_FOUND (not_found): recipient 'sms-service' is not registered with mediator 'default'",
    );
  });

  it('contains every code snippet of the README, so the README shows code that runs', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const example = ['in-process.ts', 'kinds.ts']
      .map((file) => readFileSync(join(__dirname, file), 'utf8'))
      .join('\n');
    const normalize = (code: string) =>
      code
        .split('\n')
        .map((line) => line.trim())
        .join('\n');
    const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1].trim());

    expect(snippets.length).toBeGreaterThanOrEqual(8);
    for (const snippet of snippets) expect(normalize(example)).toContain(normalize(snippet));
  });
});
