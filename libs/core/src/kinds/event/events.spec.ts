import { FunctionColleague } from '../../colleague';
import { ConcreteMediator } from '../../concrete-mediator';
import type { Envelope } from '../../model';
import { BaseEvent } from '../base-messages';
import { EventHandler, type ReceivedEvent } from '../handlers';
import { InMemoryEventStore } from './event-log';

class Subscriber extends EventHandler {
  readonly seen: ReceivedEvent[] = [];
  on(event: ReceivedEvent): void {
    this.seen.push(event);
  }
}

async function setUp() {
  const mediator = new ConcreteMediator();
  const users = new Subscriber('users', ['user_created']);
  const audit = new Subscriber('audit'); // no subscriptions: every event
  const orders = new Subscriber('orders', ['order_paid']);
  const asleep = Object.assign(new Subscriber('asleep', ['user_created']), { active: false });
  await mediator.registerColleague({ id: 'publisher' });
  for (const c of [users, audit, orders, asleep]) await mediator.registerColleague(c);
  return { mediator, users, audit, orders, asleep };
}

describe('events', () => {
  it('reach every active subscriber exactly once, and no one else', async () => {
    const { mediator, users, audit, orders, asleep } = await setUp();

    const published = await mediator.publishEvent('publisher', 'user_created', { id: 7 });

    expect(users.seen).toEqual([
      {
        id: published.id,
        type: 'user_created',
        senderId: 'publisher',
        data: { id: 7 },
        publishedAt: published.publishedAt,
      },
    ]);
    expect(audit.seen).toHaveLength(1);
    expect(orders.seen).toEqual([]);
    expect(asleep.seen).toEqual([]);
    expect(published).toMatchObject({ recipientIds: ['audit', 'users'], duplicate: false });
  });

  it('does not deliver again when the same event id is published again (a retry)', async () => {
    const { mediator, users, audit } = await setUp();

    const first = await mediator.publish(
      'publisher',
      new BaseEvent('user_created', { n: 1 }, 'evt-1'),
    );
    const retry = await mediator.publish(
      'publisher',
      new BaseEvent('user_created', { n: 2 }, 'evt-1'),
    );

    expect(retry).toMatchObject({ id: 'evt-1', duplicate: true, data: { n: 1 } });
    expect(first.duplicate).toBe(false);
    expect(users.seen).toHaveLength(1);
    expect(audit.seen).toHaveLength(1);
    expect(await mediator.eventHistory()).toHaveLength(1);
  });

  it('completes a publish that stopped after the history, when the same id is published again', async () => {
    const eventLog = new InMemoryEventStore();
    const mediator = new ConcreteMediator({}, { stores: { eventLog } });
    const users = new Subscriber('users', ['user_created']);
    await mediator.registerColleague({ id: 'publisher' });
    await mediator.registerColleague(users);
    // The history has it, its deliveries were never stored (the process stopped in between).
    await eventLog.append(
      {
        id: 'evt-9',
        mediator: 'default',
        type: 'user_created',
        senderId: 'publisher',
        data: { n: 9 },
        headers: {},
        publishedAt: new Date('2026-01-02T03:04:05Z'),
        recipientIds: ['users'],
      },
      mediator.event('event_published', {}),
    );

    const retry = await mediator.publish('publisher', new BaseEvent('user_created', null, 'evt-9'));
    const again = await mediator.publish('publisher', new BaseEvent('user_created', null, 'evt-9'));

    expect(retry.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(users.seen.map((e) => [e.id, e.data])).toEqual([['evt-9', { n: 9 }]]);
  });

  it('has an EventHandler handle a redelivered envelope once, but again after its handler failed', async () => {
    let fail = true;
    const flaky = new (class extends EventHandler {
      calls = 0;
      on(): void {
        this.calls++;
        if (fail) throw new Error('temporary');
      }
    })('flaky');
    const envelope = { id: 'e1', kind: 'event', type: 't', payload: null } as unknown as Envelope;

    await expect(flaky.receive(envelope)).rejects.toThrow('temporary');
    fail = false;
    await flaky.receive(envelope);
    await flaky.receive(envelope);

    expect(flaky.calls).toBe(2);
  });

  it('keeps a queryable history, by type, oldest first, limited to the latest', async () => {
    const { mediator } = await setUp();
    for (let i = 0; i < 3; i++) await mediator.publishEvent('publisher', 'user_created', i);
    await mediator.publishEvent('publisher', 'order_paid', 'x');

    expect((await mediator.eventHistory({ type: 'user_created' })).map((e) => e.data)).toEqual([
      0, 1, 2,
    ]);
    expect((await mediator.eventHistory({ limit: 2 })).map((e) => e.type)).toEqual([
      'user_created',
      'order_paid',
    ]);
  });

  it('emits event_published and refuses unknown or inactive publishers', async () => {
    const { mediator } = await setUp();
    const events: string[] = [];
    mediator.onEvent((e) => events.push(e.event));
    await mediator.registerColleague({ id: 'off', active: false });

    await mediator.publishEvent('publisher', 'x', null);
    await expect(mediator.publishEvent('ghost', 'x', null)).rejects.toMatchObject({
      code: 'COLLEAGUE_NOT_FOUND',
    });
    await expect(mediator.publishEvent('off', 'x', null)).rejects.toMatchObject({
      code: 'COLLEAGUE_INACTIVE',
    });

    expect(events).toEqual(['colleague_registered', 'event_published']);
  });

  it('delivers to plain colleagues too, by the same subscription rule', async () => {
    const mediator = new ConcreteMediator();
    const got: string[] = [];
    const plain = Object.assign(new FunctionColleague('plain', (e) => void got.push(e.type)), {
      subscriptions: ['a'],
    });
    await mediator.registerColleague({ id: 'p' });
    await mediator.registerColleague(plain);
    await mediator.publishEvent('p', 'a', null);
    await mediator.publishEvent('p', 'b', null);
    expect(got).toEqual(['a']);
  });
});
