import { ConcreteMediator } from '../../concrete-mediator';
import { ManualClock } from '../../timing';
import { BaseNotification } from '../base-messages';
import { NotificationHandler, type NotificationDelivery } from '../handlers';

class Channel extends NotificationHandler {
  readonly delivered: NotificationDelivery[] = [];
  failuresLeft: number;
  constructor(id: string, channels: ('email' | 'sms')[], failures = 0) {
    super(id, channels);
    this.failuresLeft = failures;
  }
  deliver(n: NotificationDelivery): unknown {
    if (this.failuresLeft-- > 0) throw new Error('smtp down');
    this.delivered.push(n);
    return { ok: true };
  }
}

async function setUp(failures = 0) {
  const clock = new ManualClock();
  const mediator = new ConcreteMediator(
    {},
    { clock, scheduler: clock, kinds: { notifications: { backoffMs: 100, maxBackoffMs: 250 } } },
  );
  const email = new Channel('mailer', ['email'], failures);
  const sms = new Channel('texter', ['sms']);
  await mediator.registerColleague(email);
  await mediator.registerColleague(sms);
  const statuses: string[] = [];
  mediator.onEvent((e) => e.event.startsWith('notification_') && statuses.push(e.event));
  return { mediator, clock, email, sms, statuses };
}

describe('notifications', () => {
  it('are routed to the handler of notification.<channel> and end delivered', async () => {
    const { mediator, email, sms, statuses } = await setUp();

    const result = await mediator.notifications.send(
      new BaseNotification('email', 'user-1', { subject: 'Hi' }, 'welcome'),
    );

    expect(result).toMatchObject({
      status: 'delivered',
      attempts: 1,
      channel: 'email',
      lastError: null,
    });
    expect(email.delivered).toEqual([
      {
        id: result.id,
        type: 'welcome',
        channel: 'email',
        recipientId: 'user-1',
        content: { subject: 'Hi' },
        attempt: 1,
      },
    ]);
    expect(sms.delivered).toEqual([]);
    expect(statuses).toEqual([
      'notification_created',
      'notification_sent',
      'notification_delivered',
    ]);
    expect(await mediator.notifications.get(result.id)).toEqual(result);
  });

  it('moves pending → sent, retries with exponential backoff, then delivered', async () => {
    const { mediator, clock, statuses } = await setUp(2);

    const result = await mediator.notifications.send({
      channel: 'email',
      recipientId: 'u',
      content: 'x',
      retryCount: 3,
    });

    expect(result).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(clock.slept).toEqual([100, 200]);
    expect(statuses).toEqual([
      'notification_created',
      'notification_sent',
      'notification_sent',
      'notification_sent',
      'notification_delivered',
    ]);
  });

  it('fails after retryCount retries, keeping the last error; backoff is capped', async () => {
    const { mediator, clock, statuses } = await setUp(10);

    const result = await mediator.notifications.send({
      channel: 'email',
      recipientId: 'u',
      content: 'x',
      retryCount: 3,
    });

    expect(result).toMatchObject({ status: 'failed', attempts: 4 });
    expect(result.lastError).toContain('smtp down');
    expect(clock.slept).toEqual([100, 200, 250]);
    expect(statuses.at(-1)).toBe('notification_failed');
  });

  it('fails a channel without handler after its retries (NO_HANDLER as the error)', async () => {
    const { mediator } = await setUp();
    const result = await mediator.notifications.send({
      channel: 'push',
      recipientId: 'u',
      content: 'x',
      retryCount: 1,
    });
    expect(result).toMatchObject({ status: 'failed', attempts: 2 });
    expect(result.lastError).toContain("handles 'notification.push'");
  });

  it('stores a pending notification with create, delivered later with deliver', async () => {
    const { mediator } = await setUp();
    const pending = await mediator.notifications.create({
      channel: 'sms',
      recipientId: 'u',
      content: 'code 1234',
    });
    expect(pending.status).toBe('pending');
    expect((await mediator.notifications.deliver(pending.id)).status).toBe('delivered');
  });

  it('validates channel, recipient and retryCount, and reports unknown ids', async () => {
    const { mediator } = await setUp();
    const send = (input: object) => mediator.notifications.send(input as never);
    await expect(send({ channel: 'pigeon', recipientId: 'u', content: 1 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(send({ channel: 'email', recipientId: '', content: 1 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      send({ channel: 'email', recipientId: 'u', content: 1, retryCount: -1 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(mediator.notifications.get('nope')).rejects.toMatchObject({
      code: 'NOTIFICATION_NOT_FOUND',
      category: 'not_found',
    });
  });
});
