import {
  EventFanOut,
  InMemoryColleagueDirectory,
  InMemoryMediatorStore,
  InMemoryMessageStore,
  LocalDelivery,
} from './memory-adapters';
import type { ColleagueInfo, Envelope, MediatorInfo } from './model';
import type { LifecycleEvent } from './ports';

function event(name: string): LifecycleEvent {
  return { id: `evt-${name}`, event: name, mediator: 'm', data: {}, timestamp: new Date(0) };
}

function colleague(mediator: string, id: string, active = true): ColleagueInfo {
  return {
    mediator,
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

function envelope(id: string, senderId = 'a', mediator = 'm'): Envelope {
  return {
    id,
    mediator,
    kind: 'message',
    type: 'direct',
    senderId,
    recipientId: 'b',
    payload: id,
    headers: {},
    correlationId: null,
    createdAt: new Date(0),
    status: 'pending',
  };
}

function recording(): { fanOut: EventFanOut; seen: string[] } {
  const fanOut = new EventFanOut();
  const seen: string[] = [];
  fanOut.on((e) => seen.push(e.event));
  return { fanOut, seen };
}

describe('EventFanOut', () => {
  it('calls every listener until it unsubscribes', () => {
    const fanOut = new EventFanOut();
    const first: string[] = [];
    const second: string[] = [];
    const off = fanOut.on((e) => first.push(e.event));
    fanOut.on((e) => second.push(e.event));

    fanOut.emit(event('one'));
    off();
    fanOut.emit(event('two'));

    expect(first).toEqual(['one']);
    expect(second).toEqual(['one', 'two']);
  });

  it('keeps calling the other listeners when one throws, and records the failure', () => {
    const fanOut = new EventFanOut();
    const boom = new Error('boom');
    const seen: string[] = [];
    fanOut.on(() => {
      throw boom;
    });
    fanOut.on((e) => seen.push(e.event));
    const emitted = event('one');

    expect(() => fanOut.emit(emitted)).not.toThrow();
    expect(seen).toEqual(['one']);
    expect(fanOut.failures).toEqual([{ event: emitted, error: boom }]);
  });
});

describe('InMemoryMediatorStore', () => {
  const info = (name: string, description = ''): MediatorInfo => ({
    name,
    description,
    maxColleagues: 10,
    colleagueCount: 0,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  });

  it('creates, finds, counts, updates and removes mediators, emitting an event for each change', async () => {
    const { fanOut, seen } = recording();
    const store = new InMemoryMediatorStore(fanOut);

    await store.create(info('a'), event('created'));
    await store.update(info('a', 'changed'), event('updated'));

    expect(await store.count()).toBe(1);
    expect(await store.find('a')).toMatchObject({ description: 'changed' });
    expect(await store.find('b')).toBeNull();
    expect(await store.remove('a', event('deleted'))).toBe(true);
    expect(await store.remove('a', event('deleted-again'))).toBe(false);
    expect(await store.count()).toBe(0);
    expect(seen).toEqual(['created', 'updated', 'deleted']);
  });

  it('refuses a duplicate name with MEDIATOR_EXISTS and emits nothing', async () => {
    const { fanOut, seen } = recording();
    const store = new InMemoryMediatorStore(fanOut);
    await store.create(info('a', 'first'), event('created'));

    await expect(store.create(info('a', 'second'), event('created-again'))).rejects.toMatchObject({
      code: 'MEDIATOR_EXISTS',
    });
    expect((await store.find('a'))?.description).toBe('first');
    expect(seen).toEqual(['created']);
  });
});

describe('InMemoryColleagueDirectory', () => {
  it('keeps the colleagues of each mediator apart', async () => {
    const directory = new InMemoryColleagueDirectory();
    await directory.add(colleague('m1', 'a'), event('r'));
    await directory.add(colleague('m2', 'a'), event('r'));
    await directory.add(colleague('m1', 'b', false), event('r'));

    expect(await directory.count('m1')).toBe(2);
    expect(await directory.count('m2')).toBe(1);
    expect(await directory.count('m3')).toBe(0);
    expect((await directory.listActive('m1')).map((c) => c.id)).toEqual(['a']);
    expect(await directory.find('m2', 'b')).toBeNull();
    expect(await directory.find('m1', 'b')).toMatchObject({ active: false });
  });

  it('refuses a duplicate id in the same mediator with COLLEAGUE_EXISTS and emits nothing', async () => {
    const { fanOut, seen } = recording();
    const directory = new InMemoryColleagueDirectory(fanOut);
    await directory.add(colleague('m', 'a'), event('registered'));

    await expect(directory.add(colleague('m', 'a'), event('again'))).rejects.toMatchObject({
      code: 'COLLEAGUE_EXISTS',
    });
    expect(seen).toEqual(['registered']);
  });

  it('updates and removes, emitting only for real changes', async () => {
    const { fanOut, seen } = recording();
    const directory = new InMemoryColleagueDirectory(fanOut);
    await directory.add(colleague('m', 'a'), event('registered'));

    await directory.update(colleague('m', 'a', false), event('updated'));
    expect(await directory.listActive('m')).toEqual([]);

    expect(await directory.remove('m', 'a', event('unregistered'))).toBe(true);
    expect(await directory.remove('m', 'a', event('unregistered-again'))).toBe(false);
    expect(seen).toEqual(['registered', 'updated', 'unregistered']);
  });
});

describe('InMemoryMessageStore', () => {
  it('stores each message with its recipients and emits its event', async () => {
    const { fanOut, seen } = recording();
    const store = new InMemoryMessageStore(fanOut);

    const result = await store.save(envelope('e1'), ['b', 'c'], undefined, event('message_sent'));

    expect(result).toEqual({ envelope: envelope('e1'), created: true });
    expect(store.messages.get('e1')).toEqual({ envelope: envelope('e1'), recipients: ['b', 'c'] });
    expect(seen).toEqual(['message_sent']);
  });

  it('returns the first envelope for a reused idempotency key without storing or emitting', async () => {
    const { fanOut, seen } = recording();
    const store = new InMemoryMessageStore(fanOut);
    await store.save(envelope('e1'), ['b'], 'k', event('first'));

    const again = await store.save(envelope('e2'), ['b'], 'k', event('second'));

    expect(again).toEqual({ envelope: envelope('e1'), created: false });
    expect(store.messages.has('e2')).toBe(false);
    expect(seen).toEqual(['first']);
    expect(await store.findByIdempotencyKey('m', 'a', 'k')).toEqual(envelope('e1'));
  });

  it('scopes idempotency keys by mediator and sender', async () => {
    const store = new InMemoryMessageStore();
    await store.save(envelope('e1', 'a', 'm1'), ['b'], 'k', event('x'));

    expect((await store.save(envelope('e2', 'other', 'm1'), ['b'], 'k', event('x'))).created).toBe(
      true,
    );
    expect((await store.save(envelope('e3', 'a', 'm2'), ['b'], 'k', event('x'))).created).toBe(
      true,
    );
    expect(await store.findByIdempotencyKey('m1', 'a', 'unknown')).toBeNull();
  });

  it('stores only one of two concurrent saves with the same key', async () => {
    const store = new InMemoryMessageStore();

    const results = await Promise.all([
      store.save(envelope('e1'), ['b'], 'k', event('x')),
      store.save(envelope('e2'), ['b'], 'k', event('x')),
    ]);

    expect(results.map((r) => r.created)).toEqual([true, false]);
    expect(results[1].envelope.id).toBe('e1');
    expect([...store.messages.keys()]).toEqual(['e1']);
  });

  it('stores every save without a key', async () => {
    const store = new InMemoryMessageStore();
    await store.save(envelope('e1'), ['b'], undefined, event('x'));
    await store.save(envelope('e2'), ['b'], undefined, event('x'));
    expect(store.messages.size).toBe(2);
  });
});

describe('LocalDelivery', () => {
  it('calls receive on the attached receivers of that mediator only', async () => {
    const delivery = new LocalDelivery();
    const got: string[] = [];
    delivery.attach('m', 'b', { receive: (e) => void got.push(`m/b ${e.id}`) });
    delivery.attach('other', 'c', { receive: (e) => void got.push(`other/c ${e.id}`) });

    await delivery.deliver(envelope('e1'), ['b', 'c', 'offline']);

    expect(got).toEqual(['m/b e1']);
    expect(delivery.failures).toEqual([]);
  });

  it('waits for asynchronous receivers', async () => {
    const delivery = new LocalDelivery();
    let done = false;
    delivery.attach('m', 'b', {
      receive: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        done = true;
      },
    });
    await delivery.deliver(envelope('e1'), ['b']);
    expect(done).toBe(true);
  });

  it('records receivers that throw or reject and still delivers to the others', async () => {
    const delivery = new LocalDelivery();
    const syncError = new Error('sync');
    const asyncError = new Error('async');
    const got: string[] = [];
    delivery.attach('m', 'sync', {
      receive: () => {
        throw syncError;
      },
    });
    delivery.attach('m', 'async', { receive: async () => Promise.reject(asyncError) });
    delivery.attach('m', 'ok', { receive: (e) => void got.push(e.id) });
    const sent = envelope('e1');

    await expect(delivery.deliver(sent, ['sync', 'async', 'ok'])).resolves.toBeUndefined();

    expect(got).toEqual(['e1']);
    expect(delivery.failures).toEqual(
      expect.arrayContaining([
        { envelope: sent, recipientId: 'sync', error: syncError },
        { envelope: sent, recipientId: 'async', error: asyncError },
      ]),
    );
    expect(delivery.failures).toHaveLength(2);
  });

  it('stops delivering to a detached receiver', async () => {
    const delivery = new LocalDelivery();
    const got: string[] = [];
    delivery.attach('m', 'b', { receive: (e) => void got.push(e.id) });
    delivery.detach('m', 'b');
    await delivery.deliver(envelope('e1'), ['b']);
    expect(got).toEqual([]);
  });
});
