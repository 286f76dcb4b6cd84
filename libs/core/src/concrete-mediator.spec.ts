import { FunctionColleague } from './colleague';
import { ConcreteMediator, type MediatorPorts } from './concrete-mediator';
import { MediatorError } from './errors';
import {
  EventFanOut,
  InMemoryColleagueDirectory,
  InMemoryMessageStore,
  LocalDelivery,
} from './memory-adapters';
import type { ColleagueInfo, Envelope } from './model';
import {
  ColleagueDirectory,
  DeliveryPort,
  type LifecycleEvent,
  MessageStore,
  type ReachableRecipients,
} from './ports';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Resolves with the error a promise rejects with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<MediatorError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MediatorError);
    return error as MediatorError;
  }
  throw new Error('expected the promise to reject');
}

function recorder(id: string): FunctionColleague & { got: Envelope[] } {
  const got: Envelope[] = [];
  return Object.assign(
    new FunctionColleague(id, (e) => {
      got.push(e);
    }),
    { got },
  );
}

function withEvents(mediator: ConcreteMediator): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  mediator.onEvent((e) => events.push(e));
  return events;
}

describe('ConcreteMediator in process', () => {
  describe('registerColleague', () => {
    it('fills in defaults for everything but the id', async () => {
      const mediator = new ConcreteMediator();
      const info = await mediator.registerColleague({ id: 'user-service' });

      expect(info).toEqual({
        mediator: 'default',
        id: 'user-service',
        name: 'user-service',
        type: 'message',
        active: true,
        handles: [],
        subscriptions: [],
        metadata: {},
        registeredAt: expect.any(Date),
      });
      await expect(mediator.getColleague('user-service')).resolves.toEqual(info);
    });

    it('keeps the given fields and copies them so later changes to the input do not leak in', async () => {
      const mediator = new ConcreteMediator({}, { name: 'orders' });
      const handles = ['create_user'];
      const info = await mediator.registerColleague({
        id: 'users',
        name: 'User service',
        type: 'command',
        active: false,
        handles,
        subscriptions: ['user_created'],
        metadata: { region: 'eu' },
      });
      handles.push('delete_user');

      expect(info).toMatchObject({
        mediator: 'orders',
        name: 'User service',
        type: 'command',
        active: false,
        handles: ['create_user'],
        subscriptions: ['user_created'],
        metadata: { region: 'eu' },
      });
    });

    it('refuses a second colleague with the same id and keeps the first', async () => {
      const mediator = new ConcreteMediator();
      await mediator.registerColleague({ id: 'a', name: 'first' });

      const error = await rejectionOf(mediator.registerColleague({ id: 'a', name: 'second' }));

      expect(error.code).toBe('COLLEAGUE_EXISTS');
      expect(error.category).toBe('conflict');
      expect(error.message).toContain("'a'");
      expect((await mediator.getColleague('a')).name).toBe('first');
    });

    it('enforces config.maxColleagues', async () => {
      const mediator = new ConcreteMediator({ maxColleagues: 2 });
      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague({ id: 'b' });

      const error = await rejectionOf(mediator.registerColleague({ id: 'c' }));

      expect(error.code).toBe('MAX_COLLEAGUES_REACHED');
      expect(error.category).toBe('unprocessable');
      expect(error.message).toContain('2');
      await expect(mediator.getColleague('c')).rejects.toMatchObject({
        code: 'COLLEAGUE_NOT_FOUND',
      });
    });

    it('lets options.maxColleagues override config.maxColleagues', async () => {
      const lower = new ConcreteMediator({ maxColleagues: 5 }, { maxColleagues: 1 });
      await lower.registerColleague({ id: 'a' });
      await expect(lower.registerColleague({ id: 'b' })).rejects.toMatchObject({
        code: 'MAX_COLLEAGUES_REACHED',
      });

      const higher = new ConcreteMediator({ maxColleagues: 1 }, { maxColleagues: 3 });
      for (const id of ['a', 'b', 'c']) await higher.registerColleague({ id });
      await expect(higher.registerColleague({ id: 'd' })).rejects.toMatchObject({
        code: 'MAX_COLLEAGUES_REACHED',
      });
    });

    it('counts inactive colleagues towards the limit and frees a place on unregister', async () => {
      const mediator = new ConcreteMediator({ maxColleagues: 1 });
      await mediator.registerColleague({ id: 'a', active: false });
      await expect(mediator.registerColleague({ id: 'b' })).rejects.toMatchObject({
        code: 'MAX_COLLEAGUES_REACHED',
      });

      await mediator.unregisterColleague('a');
      await expect(mediator.registerColleague({ id: 'b' })).resolves.toMatchObject({ id: 'b' });
    });

    it.each([
      ['an empty id', ''],
      ['an id starting with a dash', '-a'],
      ['an id with a space', 'a b'],
      ['an id with a slash', 'a/b'],
      ['an id of 129 characters', 'a'.repeat(129)],
      ['a number as id', 42],
      ['no id', undefined],
    ])('rejects %s with VALIDATION_FAILED on field id', async (_label, id) => {
      const mediator = new ConcreteMediator();
      const error = await rejectionOf(
        mediator.registerColleague({ id } as unknown as { id: string }),
      );

      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.category).toBe('validation');
      expect(error.details).toEqual([
        { field: 'id', problem: expect.stringContaining('must match') },
      ]);
    });

    it.each(['a', 'A9', 'user:42@eu.example-1_x', 'a'.repeat(128)])(
      'accepts the id %s',
      async (id) => {
        await expect(new ConcreteMediator().registerColleague({ id })).resolves.toMatchObject({
          id,
        });
      },
    );

    it('rejects an unknown type with VALIDATION_FAILED on field type and registers nothing', async () => {
      const mediator = new ConcreteMediator();
      const events = withEvents(mediator);

      const error = await rejectionOf(
        mediator.registerColleague({ id: 'a', type: 'gossip' as unknown as 'message' }),
      );

      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual([
        { field: 'type', problem: expect.stringContaining('command') },
      ]);
      expect(events).toEqual([]);
      await expect(mediator.getColleague('a')).rejects.toMatchObject({
        code: 'COLLEAGUE_NOT_FOUND',
      });
    });
  });

  describe('unregisterColleague', () => {
    it('removes the colleague so it can be neither found nor messaged', async () => {
      const mediator = new ConcreteMediator();
      await mediator.registerColleague(recorder('a'));
      await mediator.registerColleague(recorder('b'));

      await mediator.unregisterColleague('b');

      await expect(mediator.getColleague('b')).rejects.toMatchObject({
        code: 'COLLEAGUE_NOT_FOUND',
      });
      await expect(mediator.sendMessage('a', 'b', 'hi')).rejects.toMatchObject({
        code: 'COLLEAGUE_NOT_FOUND',
      });
    });

    it('fails with COLLEAGUE_NOT_FOUND for an unknown id', async () => {
      const error = await rejectionOf(new ConcreteMediator().unregisterColleague('ghost'));
      expect(error.code).toBe('COLLEAGUE_NOT_FOUND');
      expect(error.category).toBe('not_found');
      expect(error.message).toContain("'ghost'");
    });

    it('stops delivering to the old object when the id is registered again', async () => {
      const mediator = new ConcreteMediator();
      await mediator.registerColleague(recorder('a'));
      const old = recorder('b');
      await mediator.registerColleague(old);
      await mediator.unregisterColleague('b');
      const replacement = recorder('b');
      await mediator.registerColleague(replacement);

      await mediator.sendMessage('a', 'b', 'hi');

      expect(old.got).toHaveLength(0);
      expect(replacement.got).toHaveLength(1);
    });
  });

  describe('sendMessage', () => {
    it('delivers the stored envelope to the recipient only, once', async () => {
      const mediator = new ConcreteMediator();
      const a = recorder('a');
      const b = recorder('b');
      const c = recorder('c');
      for (const colleague of [a, b, c]) await mediator.registerColleague(colleague);

      const envelope = await mediator.sendMessage('a', 'b', { text: 'hello' });

      expect(b.got).toEqual([envelope]);
      expect(a.got).toEqual([]);
      expect(c.got).toEqual([]);
    });

    it('fills the envelope fields', async () => {
      const mediator = new ConcreteMediator({}, { name: 'shop' });
      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague({ id: 'b' });
      const before = Date.now();

      const envelope = await mediator.sendMessage('a', 'b', { n: 1 });

      expect(envelope).toEqual({
        id: expect.stringMatching(UUID_V7),
        mediator: 'shop',
        kind: 'message',
        type: 'direct',
        senderId: 'a',
        recipientId: 'b',
        payload: { n: 1 },
        headers: {},
        correlationId: null,
        createdAt: expect.any(Date),
        status: 'pending',
      });
      expect(envelope.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    });

    it('takes kind, type, headers and correlation id from the options', async () => {
      const mediator = new ConcreteMediator();
      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague({ id: 'b' });
      const headers = { trace: 't-1' };

      const envelope = await mediator.sendMessage('a', 'b', null, {
        kind: 'command',
        type: 'create_user',
        headers,
        correlationId: 'corr-1',
      });
      headers.trace = 'changed';

      expect(envelope).toMatchObject({
        kind: 'command',
        type: 'create_user',
        headers: { trace: 't-1' },
        correlationId: 'corr-1',
        payload: null,
      });
    });

    it('stores a missing payload as null', async () => {
      const mediator = new ConcreteMediator();
      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague({ id: 'b' });
      const envelope = await mediator.sendMessage('a', 'b', undefined as unknown as null);
      expect(envelope.payload).toBeNull();
    });

    it('gives every message a new, increasing id', async () => {
      const mediator = new ConcreteMediator();
      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague({ id: 'b' });
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push((await mediator.sendMessage('a', 'b', i)).id);
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(20);
    });

    it('names the unknown sender', async () => {
      const mediator = new ConcreteMediator();
      const b = recorder('b');
      await mediator.registerColleague(b);
      const events = withEvents(mediator);

      const error = await rejectionOf(mediator.sendMessage('ghost', 'b', 'hi'));

      expect(error.code).toBe('COLLEAGUE_NOT_FOUND');
      expect(error.message).toBe("sender 'ghost' is not registered with mediator 'default'");
      expect(b.got).toEqual([]);
      expect(events).toEqual([]);
    });

    it('names the unknown recipient', async () => {
      const mediator = new ConcreteMediator();
      await mediator.registerColleague({ id: 'a' });

      const error = await rejectionOf(mediator.sendMessage('a', 'ghost', 'hi'));

      expect(error.code).toBe('COLLEAGUE_NOT_FOUND');
      expect(error.message).toBe("recipient 'ghost' is not registered with mediator 'default'");
    });

    it('refuses an inactive sender or recipient with COLLEAGUE_INACTIVE', async () => {
      const mediator = new ConcreteMediator();
      const active = recorder('active');
      const asleep = recorder('asleep');
      await mediator.registerColleague(active);
      await mediator.registerColleague(Object.assign(asleep, { active: false }));

      const fromInactive = await rejectionOf(mediator.sendMessage('asleep', 'active', 'hi'));
      const toInactive = await rejectionOf(mediator.sendMessage('active', 'asleep', 'hi'));

      for (const error of [fromInactive, toInactive]) {
        expect(error.code).toBe('COLLEAGUE_INACTIVE');
        expect(error.category).toBe('conflict');
        expect(error.message).toContain("'asleep'");
      }
      expect(active.got).toEqual([]);
      expect(asleep.got).toEqual([]);
    });

    it('returns the first envelope for a repeated idempotency key and delivers once', async () => {
      const mediator = new ConcreteMediator();
      const b = recorder('b');
      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague(b);
      const events = withEvents(mediator);

      const first = await mediator.sendMessage('a', 'b', 'first', { idempotencyKey: 'k1' });
      const again = await mediator.sendMessage('a', 'b', 'second', { idempotencyKey: 'k1' });

      expect(again).toEqual(first);
      expect(again.payload).toBe('first');
      expect(b.got).toHaveLength(1);
      expect(events.filter((e) => e.event === 'message_sent')).toHaveLength(1);
    });

    it('delivers once when two sends with the same idempotency key run concurrently', async () => {
      const mediator = new ConcreteMediator();
      const b = recorder('b');
      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague(b);

      const [x, y] = await Promise.all([
        mediator.sendMessage('a', 'b', 1, { idempotencyKey: 'k' }),
        mediator.sendMessage('a', 'b', 2, { idempotencyKey: 'k' }),
      ]);

      expect(y.id).toBe(x.id);
      expect(b.got).toHaveLength(1);
    });

    it('scopes idempotency keys to the sender and treats new keys as new messages', async () => {
      const mediator = new ConcreteMediator();
      const c = recorder('c');
      for (const colleague of [recorder('a'), recorder('b'), c])
        await mediator.registerColleague(colleague);

      const fromA = await mediator.sendMessage('a', 'c', 1, { idempotencyKey: 'k' });
      const fromB = await mediator.sendMessage('b', 'c', 2, { idempotencyKey: 'k' });
      const otherKey = await mediator.sendMessage('a', 'c', 3, { idempotencyKey: 'k2' });

      expect(new Set([fromA.id, fromB.id, otherKey.id]).size).toBe(3);
      expect(c.got.map((e) => e.payload)).toEqual([1, 2, 3]);
    });

    it('rejects an unknown kind with VALIDATION_FAILED on field kind and delivers nothing', async () => {
      const mediator = new ConcreteMediator();
      const b = recorder('b');
      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague(b);

      const error = await rejectionOf(
        mediator.sendMessage('a', 'b', 'hi', { kind: 'gossip' as unknown as 'message' }),
      );

      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual([{ field: 'kind', problem: expect.any(String) }]);
      expect(b.got).toEqual([]);
    });

    it('still resolves when the recipient throws', async () => {
      const mediator = new ConcreteMediator();
      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague(
        new FunctionColleague('b', () => {
          throw new Error('boom');
        }),
      );

      await expect(mediator.sendMessage('a', 'b', 'hi')).resolves.toMatchObject({
        recipientId: 'b',
      });
    });
  });

  describe('broadcastMessage', () => {
    it('delivers to every active colleague except the sender', async () => {
      const mediator = new ConcreteMediator();
      const [a, b, c, asleep] = [recorder('a'), recorder('b'), recorder('c'), recorder('asleep')];
      for (const colleague of [a, b, c]) await mediator.registerColleague(colleague);
      await mediator.registerColleague(Object.assign(asleep, { active: false }));

      const envelope = await mediator.broadcastMessage('a', { news: 1 });

      expect(envelope).toMatchObject({
        id: expect.stringMatching(UUID_V7),
        recipientId: null,
        senderId: 'a',
        type: 'broadcast',
        kind: 'message',
        payload: { news: 1 },
        recipients: 2,
      });
      const { recipients: _count, ...delivered } = envelope;
      expect(b.got).toEqual([delivered]);
      expect(c.got).toEqual([delivered]);
      expect(a.got).toEqual([]);
      expect(asleep.got).toEqual([]);
    });

    it('reports zero recipients when the sender is alone', async () => {
      const mediator = new ConcreteMediator();
      await mediator.registerColleague({ id: 'a' });
      await expect(mediator.broadcastMessage('a', 'anyone?')).resolves.toMatchObject({
        recipients: 0,
      });
    });

    it('refuses an unknown or inactive sender', async () => {
      const mediator = new ConcreteMediator();
      await mediator.registerColleague({ id: 'asleep', active: false });

      const unknown = await rejectionOf(mediator.broadcastMessage('ghost', 'hi'));
      const inactive = await rejectionOf(mediator.broadcastMessage('asleep', 'hi'));

      expect(unknown.code).toBe('COLLEAGUE_NOT_FOUND');
      expect(unknown.message).toContain("sender 'ghost'");
      expect(inactive.code).toBe('COLLEAGUE_INACTIVE');
    });

    it('rejects an unknown kind', async () => {
      const mediator = new ConcreteMediator();
      await mediator.registerColleague({ id: 'a' });
      await expect(
        mediator.broadcastMessage('a', 'hi', { kind: 'gossip' as unknown as 'message' }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('does not deliver a broadcast twice for a repeated idempotency key', async () => {
      const mediator = new ConcreteMediator();
      const b = recorder('b');
      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague(b);

      const first = await mediator.broadcastMessage('a', 1, { idempotencyKey: 'k' });
      const again = await mediator.broadcastMessage('a', 2, { idempotencyKey: 'k' });

      expect(again.id).toBe(first.id);
      expect(again.payload).toBe(1);
      expect(b.got).toHaveLength(1);
    });

    it('keeps delivering to the others when one receiver throws', async () => {
      const mediator = new ConcreteMediator();
      const b = recorder('b');
      const d = recorder('d');
      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague(b);
      await mediator.registerColleague(
        new FunctionColleague('c', async () => {
          throw new Error('boom');
        }),
      );
      await mediator.registerColleague(d);

      const envelope = await mediator.broadcastMessage('a', 'hi');

      expect(envelope.recipients).toBe(3);
      expect(b.got).toHaveLength(1);
      expect(d.got).toHaveLength(1);
    });
  });

  describe('lifecycle events', () => {
    it('emits colleague_registered, message_sent, message_broadcasted and colleague_unregistered', async () => {
      const mediator = new ConcreteMediator({}, { name: 'm1' });
      const events = withEvents(mediator);

      await mediator.registerColleague({ id: 'a', handles: ['create_user'] });
      await mediator.registerColleague({ id: 'b', subscriptions: ['user_created'] });
      const sent = await mediator.sendMessage('a', 'b', 'hi', { type: 'greeting' });
      const broadcast = await mediator.broadcastMessage('b', 'all');
      await mediator.unregisterColleague('a');

      expect(events.map((e) => e.event)).toEqual([
        'colleague_registered',
        'colleague_registered',
        'message_sent',
        'message_broadcasted',
        'colleague_unregistered',
      ]);
      expect(events[0].data).toEqual({
        id: 'a',
        name: 'a',
        type: 'message',
        active: true,
        handles: ['create_user'],
        subscriptions: [],
      });
      expect(events[2].data).toEqual({
        id: sent.id,
        sender_id: 'a',
        recipient_id: 'b',
        kind: 'message',
        type: 'greeting',
      });
      expect(events[3].data).toEqual({
        id: broadcast.id,
        sender_id: 'b',
        recipients: 1,
        kind: 'message',
        type: 'broadcast',
      });
      expect(events[4].data).toEqual({ id: 'a' });
      for (const event of events) {
        expect(event.mediator).toBe('m1');
        expect(event.id).toMatch(UUID_V7);
        expect(event.timestamp).toBeInstanceOf(Date);
      }
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    });

    it('emits nothing for a failed operation', async () => {
      const mediator = new ConcreteMediator({ maxColleagues: 1 });
      await mediator.registerColleague({ id: 'a' });
      const events = withEvents(mediator);

      await expect(mediator.registerColleague({ id: 'a' })).rejects.toThrow();
      await expect(mediator.registerColleague({ id: 'b' })).rejects.toThrow();
      await expect(mediator.unregisterColleague('ghost')).rejects.toThrow();
      await expect(mediator.sendMessage('a', 'ghost', 1)).rejects.toThrow();

      expect(events).toEqual([]);
    });

    it('stops calling a listener after it unsubscribes', async () => {
      const mediator = new ConcreteMediator();
      const seen: string[] = [];
      const off = mediator.onEvent((e) => seen.push(e.event));
      await mediator.registerColleague({ id: 'a' });
      off();
      await mediator.registerColleague({ id: 'b' });
      expect(seen).toEqual(['colleague_registered']);
    });

    it('does not let a throwing listener break the operation or other listeners', async () => {
      const mediator = new ConcreteMediator();
      mediator.onEvent(() => {
        throw new Error('listener bug');
      });
      const seen = withEvents(mediator);
      const b = recorder('b');

      await mediator.registerColleague({ id: 'a' });
      await mediator.registerColleague(b);
      await mediator.sendMessage('a', 'b', 'hi');

      expect(b.got).toHaveLength(1);
      expect(seen.map((e) => e.event)).toEqual([
        'colleague_registered',
        'colleague_registered',
        'message_sent',
      ]);
    });
  });
});

/** A ports object that records, in one list, every call the mediator makes. */
function fakePorts(colleagues: ColleagueInfo[]) {
  const calls: string[] = [];
  const saved: {
    envelope: Envelope;
    recipients: string[];
    key?: string;
    event: LifecycleEvent;
    reachable?: ReachableRecipients | null;
  }[] = [];
  const delivered: {
    envelope: Envelope;
    recipients: string[];
    reachable: ReachableRecipients | null;
  }[] = [];
  // Every recipient but `offline` is online; their copies are saved as delivered.
  const offline = new Set<string>();
  const added: { colleague: ColleagueInfo; event: LifecycleEvent }[] = [];
  let firstForKey: Envelope | null = null;
  let nextId = 0;

  class FakeDirectory extends ColleagueDirectory {
    async find(mediator: string, id: string) {
      calls.push(`find ${id}`);
      return colleagues.find((c) => c.mediator === mediator && c.id === id) ?? null;
    }
    async listActive(mediator: string) {
      calls.push('listActive');
      return colleagues.filter((c) => c.mediator === mediator && c.active);
    }
    async count() {
      calls.push('count');
      return colleagues.length;
    }
    async add(colleague: ColleagueInfo, event: LifecycleEvent) {
      calls.push(`add ${colleague.id}`);
      added.push({ colleague, event });
      return colleague;
    }
    async update(colleague: ColleagueInfo) {
      return colleague;
    }
    async remove(_mediator: string, id: string) {
      calls.push(`remove ${id}`);
      return colleagues.some((c) => c.id === id);
    }
  }
  class FakeMessages extends MessageStore {
    async findByIdempotencyKey() {
      calls.push('findByIdempotencyKey');
      return firstForKey;
    }
    async save(
      envelope: Envelope,
      recipients: string[],
      key: string | undefined,
      event: LifecycleEvent,
      reachable?: ReachableRecipients | null,
    ) {
      calls.push('save');
      saved.push({ envelope, recipients, key, event, reachable });
      // The store's copy is what must be delivered and returned, not the mediator's draft.
      return { envelope: { ...envelope, headers: { stored: 'yes' } }, created: true };
    }
  }
  class FakeDelivery extends DeliveryPort {
    async reachableRecipients(_envelope: Envelope, recipients: string[]) {
      calls.push('reachableRecipients');
      const ids = new Set(recipients.filter((id) => !offline.has(id)));
      return ids.size ? { ids, at: new Date('2024-01-02T03:04:05.000Z'), ackDueAt: 1 } : null;
    }
    async deliver(envelope: Envelope, recipients: string[], reachable: ReachableRecipients | null) {
      calls.push('deliver');
      delivered.push({ envelope, recipients, reachable });
    }
  }

  const ports: MediatorPorts = {
    directory: new FakeDirectory(),
    messages: new FakeMessages(),
    delivery: new FakeDelivery(),
    clock: { now: () => new Date('2024-01-02T03:04:05.000Z') },
    ids: { next: () => `id-${++nextId}` },
  };
  return {
    ports,
    calls,
    saved,
    delivered,
    added,
    offline,
    setFirstForKey: (e: Envelope) => (firstForKey = e),
  };
}

function colleague(id: string, active = true): ColleagueInfo {
  return {
    mediator: 'svc',
    id,
    name: id,
    type: 'message',
    active,
    handles: [],
    subscriptions: [],
    metadata: {},
    registeredAt: new Date(0),
  };
}

describe('ConcreteMediator with custom ports', () => {
  const NOW = new Date('2024-01-02T03:04:05.000Z');

  it('looks both colleagues up, saves, then delivers what the store returned', async () => {
    const fake = fakePorts([colleague('a'), colleague('b')]);
    const mediator = new ConcreteMediator({}, { name: 'svc', ports: fake.ports });

    const result = await mediator.sendMessage('a', 'b', 'hi', { idempotencyKey: 'k' });

    expect(fake.calls).toEqual([
      'findByIdempotencyKey',
      'find a',
      'find b',
      'reachableRecipients',
      'save',
      'deliver',
    ]);
    expect(fake.saved).toHaveLength(1);
    const reachable = { ids: new Set(['b']), at: NOW, ackDueAt: 1 };
    expect(fake.saved[0]).toMatchObject({
      envelope: { id: 'id-1', createdAt: NOW, mediator: 'svc', senderId: 'a', recipientId: 'b' },
      recipients: ['b'],
      key: 'k',
      event: { id: 'id-2', event: 'message_sent', mediator: 'svc', timestamp: NOW },
      reachable,
    });
    expect(fake.delivered).toEqual([{ envelope: result, recipients: ['b'], reachable }]);
    expect(result.headers).toEqual({ stored: 'yes' });
  });

  it('does not deliver when the store reports the message already existed', async () => {
    const fake = fakePorts([colleague('a'), colleague('b')]);
    const existing = { id: 'old' } as Envelope;
    (fake.ports.messages as MessageStore).save = async () => ({
      envelope: existing,
      created: false,
    });
    const mediator = new ConcreteMediator({}, { name: 'svc', ports: fake.ports });

    await expect(mediator.sendMessage('a', 'b', 'hi', { idempotencyKey: 'k' })).resolves.toBe(
      existing,
    );
    expect(fake.calls).not.toContain('deliver');
  });

  it('returns the first envelope for a known idempotency key without saving or delivering', async () => {
    const fake = fakePorts([colleague('a'), colleague('b')]);
    const first = { id: 'first' } as Envelope;
    fake.setFirstForKey(first);
    const mediator = new ConcreteMediator({}, { name: 'svc', ports: fake.ports });

    await expect(mediator.sendMessage('a', 'b', 'again', { idempotencyKey: 'k' })).resolves.toBe(
      first,
    );
    expect(fake.calls).toEqual(['findByIdempotencyKey']);
  });

  it('never delivers when saving fails', async () => {
    const fake = fakePorts([colleague('a'), colleague('b')]);
    (fake.ports.messages as MessageStore).save = async () => {
      throw new Error('database down');
    };
    const mediator = new ConcreteMediator({}, { name: 'svc', ports: fake.ports });

    await expect(mediator.sendMessage('a', 'b', 'hi')).rejects.toThrow('database down');
    expect(fake.delivered).toEqual([]);
  });

  it('broadcasts to the active colleagues the directory lists, minus the sender', async () => {
    const fake = fakePorts([colleague('a'), colleague('b'), colleague('c', false), colleague('d')]);
    const mediator = new ConcreteMediator({}, { name: 'svc', ports: fake.ports });

    const result = await mediator.broadcastMessage('a', 'hi');

    expect(fake.calls).toEqual(['find a', 'listActive', 'reachableRecipients', 'save', 'deliver']);
    expect(fake.saved[0].recipients).toEqual(['b', 'd']);
    expect(fake.saved[0].event).toMatchObject({
      event: 'message_broadcasted',
      data: { recipients: 2 },
    });
    expect(fake.delivered[0].recipients).toEqual(['b', 'd']);
    expect(result.recipients).toBe(2);
  });

  it('saves the copies of the offline recipients pending and still tells the delivery of them', async () => {
    const fake = fakePorts([colleague('a'), colleague('b'), colleague('c'), colleague('d')]);
    fake.offline.add('c');
    const mediator = new ConcreteMediator({}, { name: 'svc', ports: fake.ports });

    await mediator.broadcastMessage('a', 'hi');

    const reachable = { ids: new Set(['b', 'd']), at: NOW, ackDueAt: 1 };
    expect(fake.saved[0].reachable).toEqual(reachable);
    expect(fake.delivered[0]).toMatchObject({ recipients: ['b', 'c', 'd'], reachable });
  });

  it('saves every copy pending when no recipient is reachable', async () => {
    const fake = fakePorts([colleague('a'), colleague('b')]);
    fake.offline.add('b');
    const mediator = new ConcreteMediator({}, { name: 'svc', ports: fake.ports });

    await mediator.sendMessage('a', 'b', 'hi');

    expect(fake.saved[0].reachable).toBeNull();
    expect(fake.delivered[0]).toMatchObject({ recipients: ['b'], reachable: null });
  });

  it('registers through the directory with the port clock and a colleague_registered event', async () => {
    const fake = fakePorts([]);
    const mediator = new ConcreteMediator({}, { name: 'svc', ports: fake.ports });

    const info = await mediator.registerColleague({ id: 'a' });

    expect(fake.calls).toEqual(['count', 'add a']);
    expect(info.registeredAt).toEqual(NOW);
    expect(fake.added[0].event).toMatchObject({ event: 'colleague_registered', mediator: 'svc' });
  });

  it('checks the limit against the directory count', async () => {
    const fake = fakePorts([colleague('a'), colleague('b')]);
    const mediator = new ConcreteMediator({}, { name: 'svc', maxColleagues: 2, ports: fake.ports });

    await expect(mediator.registerColleague({ id: 'c' })).rejects.toMatchObject({
      code: 'MAX_COLLEAGUES_REACHED',
    });
    expect(fake.calls).not.toContain('add c');
  });

  it('refuses onEvent, since the service publishes events itself', () => {
    const mediator = new ConcreteMediator({}, { ports: fakePorts([]).ports });
    expect(() => mediator.onEvent(() => undefined)).toThrow(/in-process/);
  });

  it('records a throwing receiver in LocalDelivery.failures and still delivers to the others', async () => {
    const events = new EventFanOut();
    const delivery = new LocalDelivery();
    const mediator = new ConcreteMediator(
      {},
      {
        name: 'svc',
        ports: {
          directory: new InMemoryColleagueDirectory(events),
          messages: new InMemoryMessageStore(events),
          delivery,
        },
      },
    );
    const b = recorder('b');
    const boom = new Error('boom');
    for (const id of ['a', 'b', 'c']) await mediator.registerColleague({ id });
    delivery.attach('svc', 'b', b);
    delivery.attach('svc', 'c', {
      receive: () => {
        throw boom;
      },
    });

    const envelope = await mediator.broadcastMessage('a', 'hi');

    expect(b.got).toHaveLength(1);
    expect(delivery.failures).toEqual([{ envelope: b.got[0], recipientId: 'c', error: boom }]);
    expect(envelope.id).toBe(b.got[0].id);
  });
});
