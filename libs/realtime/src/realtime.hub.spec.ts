import type { Server } from 'socket.io';
import type { AppConfig } from '@mediator/config';
import { type Envelope, ManualClock } from '@mediator/core';
import type { MessageRepository } from '@mediator/persistence';
import type { Presence } from './presence';
import { RealtimeHub } from './realtime.hub';
import type { RequestReplies } from './request-replies';

// Nest's packages are ES modules Jest cannot load: the hub needs only decorators, Logger and
// class tokens from them, stubbed here with the modules that pull them in.
jest.mock('@nestjs/common', () => ({
  Inject: () => () => undefined,
  Injectable: () => () => undefined,
  Logger: class {
    debug(): void {}
    warn(): void {}
    error(): void {}
  },
}));
jest.mock('@mediator/config', () => ({ APP_CONFIG: 'APP_CONFIG' }));
jest.mock('@mediator/persistence', () => ({ MessageRepository: class {} }));
jest.mock('./presence', () => ({ Presence: class {} }));
jest.mock('./request-replies', () => ({ RequestReplies: class {}, REQUEST_ACK_WINDOW_MS: 60_000 }));

const envelope = {
  id: 'm-1',
  mediator: 'orders',
  kind: 'message',
  type: 'direct',
  senderId: 'alice',
  recipientId: 'bob',
  payload: { n: 1 },
  headers: {},
  correlationId: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  status: 'pending',
} as unknown as Envelope;

/** A hub whose delivered write is committed only when the test says so. */
function hubWithPendingCommit(online: (id: string) => boolean = () => true) {
  let commit!: () => void;
  const committed = new Promise<void>((resolve) => (commit = resolve));
  const messages = {
    markDelivered: jest.fn(() => committed),
    ack: jest.fn(() => Promise.resolve(true)),
  } as unknown as MessageRepository;
  const presence = {
    onlineAmong: jest.fn(async (_mediator: string, ids: string[]) => new Set(ids.filter(online))),
  };
  const emit = jest.fn();
  const to = jest.fn(() => ({ timeout: () => ({ emit }) }));
  const server = { to } as unknown as Server;
  const config = { messaging: { ackTimeoutMs: 30_000 } } as AppConfig;
  const clock = new ManualClock('2026-03-04T05:06:07.000Z');
  const hub = new RealtimeHub(
    messages,
    presence as unknown as Presence,
    {} as RequestReplies,
    config,
    clock,
  );
  hub.attach(server);
  return { hub, messages, presence, emit, to, commit, clock };
}

const T0 = new Date('2026-03-04T05:06:07.000Z');

describe('RealtimeHub.reachableRecipients', () => {
  it('finds the online recipients, with the delivered time and the ack deadline of the clock', async () => {
    const { hub } = hubWithPendingCommit((id) => id !== 'carol');
    expect(await hub.reachableRecipients(envelope, ['bob', 'carol', 'dave'])).toEqual({
      ids: new Set(['bob', 'dave']),
      at: T0,
      ackDueAt: T0.getTime() + 30_000,
    });
  });

  it('gives a request no ack deadline (its own timeout bounds the wait)', async () => {
    const { hub } = hubWithPendingCommit();
    const request = { ...envelope, kind: 'command', correlationId: envelope.id } as Envelope;
    expect(await hub.reachableRecipients(request, ['bob'])).toMatchObject({ ackDueAt: null });
  });

  it('is null when no recipient is online', async () => {
    const { hub } = hubWithPendingCommit(() => false);
    expect(await hub.reachableRecipients(envelope, ['bob'])).toBeNull();
  });
});

/** Lets the callbacks scheduled with setImmediate run. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('RealtimeHub.deliver', () => {
  it('emits in the next turn to the reachable recipients, whose delivered status the save stored', async () => {
    const { hub, messages, presence, emit, to } = hubWithPendingCommit();
    const reachable = (await hub.reachableRecipients(envelope, ['bob', 'carol']))!;
    presence.onlineAmong.mockClear();
    await hub.deliver(envelope, ['bob', 'carol'], reachable);
    // Not yet: the sender's answer, written as deliver returns, goes out first.
    expect(emit).not.toHaveBeenCalled();
    await nextTurn();
    expect(messages.markDelivered).not.toHaveBeenCalled();
    expect(presence.onlineAmong).not.toHaveBeenCalled();
    expect(to.mock.calls).toEqual([['colleague:orders:bob'], ['colleague:orders:carol']]);
    expect(emit).toHaveBeenCalledTimes(2);
    expect(emit).toHaveBeenCalledWith(
      'message',
      expect.objectContaining({ id: 'm-1', status: 'delivered' }),
      expect.any(Function),
    );
  });

  it('acks with the time of the clock', async () => {
    const { hub, messages, emit, clock } = hubWithPendingCommit();
    await hub.deliver(envelope, ['bob'], await hub.reachableRecipients(envelope, ['bob']));
    await nextTurn();
    clock.advance(5_000);
    const onAck = emit.mock.calls[0][2] as (error: Error | null, responses: unknown[]) => void;
    onAck(null, [{ ok: true }]);
    expect(messages.ack).toHaveBeenCalledWith(
      'orders',
      'm-1',
      'bob',
      new Date('2026-03-04T05:06:12.000Z'),
    );
  });

  it('pushes a recipient that came online after the check once its delivered status is committed', async () => {
    let carolOnline = false;
    const { hub, messages, emit, to, commit } = hubWithPendingCommit(
      (id) => id === 'bob' || carolOnline,
    );
    const reachable = await hub.reachableRecipients(envelope, ['bob', 'carol']);
    carolOnline = true;
    await hub.deliver(envelope, ['bob', 'carol'], reachable);
    await nextTurn();
    expect(to.mock.calls).toEqual([['colleague:orders:bob']]);
    expect(messages.markDelivered).toHaveBeenCalledWith(
      'orders',
      'm-1',
      'carol',
      T0,
      T0.getTime() + 30_000,
    );
    commit();
    await nextTurn();
    expect(to.mock.calls).toEqual([['colleague:orders:bob'], ['colleague:orders:carol']]);
    expect(emit).toHaveBeenCalledTimes(2);
  });

  it('gives every recipient pushed after the commit the same delivered time and deadline (their statuses share one UPDATE)', async () => {
    const { hub, messages, clock } = hubWithPendingCommit();
    // A clock that moves on every reading, as a real one may between recipients.
    const now = clock.now.bind(clock);
    jest.spyOn(clock, 'now').mockImplementation(() => (clock.advance(1), now()));
    await hub.deliver(envelope, ['bob', 'carol', 'dave'], null);
    const times = (messages.markDelivered as jest.Mock).mock.calls.map((c: unknown[]) => [
      (c[3] as Date).getTime(),
      c[4],
    ]);
    expect(times).toHaveLength(3);
    expect(new Set(times.map((t) => JSON.stringify(t))).size).toBe(1);
  });
});

describe('RealtimeHub.push', () => {
  it('emits only after the delivered status is committed', async () => {
    const { hub, messages, emit, commit } = hubWithPendingCommit();
    const pushed = hub.push(envelope, 'bob');
    await nextTurn();
    expect(messages.markDelivered).toHaveBeenCalledWith(
      'orders',
      'm-1',
      'bob',
      T0,
      T0.getTime() + 30_000,
    );
    expect(emit).not.toHaveBeenCalled();
    commit();
    await pushed;
    expect(emit).toHaveBeenCalledWith(
      'message',
      expect.objectContaining({ id: 'm-1', status: 'delivered' }),
      expect.any(Function),
    );
  });
});

describe('RealtimeHub.publish', () => {
  const event = {
    id: 'e-1',
    event: 'message_sent',
    mediator: 'orders',
    data: { message_id: 'm-1' },
    timestamp: new Date('2026-01-01T00:00:00Z'),
  };

  function hubWithRooms(rooms: string[], redis: boolean) {
    const emit = jest.fn();
    const server = {
      to: () => ({ emit }),
      sockets: { adapter: { rooms: new Map(rooms.map((room) => [room, new Set(['s-1'])])) } },
    } as unknown as Server;
    const config = { database: { redis: { enabled: redis } } } as AppConfig;
    const hub = new RealtimeHub(
      {} as MessageRepository,
      {} as Presence,
      {} as RequestReplies,
      config,
      new ManualClock(),
    );
    hub.attach(server);
    return { hub, emit };
  }

  it('emits to the subscribers of the mediator and of *', () => {
    for (const room of ['mediator:orders', 'mediator:*']) {
      const { hub, emit } = hubWithRooms([room], false);
      hub.publish(event);
      expect(emit).toHaveBeenCalledWith(
        'message_sent',
        expect.objectContaining({ id: 'e-1', timestamp: '2026-01-01T00:00:00.000Z' }),
      );
    }
  });

  it('encodes nothing when no socket of a lone instance subscribed', () => {
    const { hub, emit } = hubWithRooms(['mediator:other'], false);
    hub.publish(event);
    expect(emit).not.toHaveBeenCalled();
  });

  it('always emits through the Redis adapter: subscribers may be on other instances', () => {
    const { hub, emit } = hubWithRooms([], true);
    hub.publish(event);
    expect(emit).toHaveBeenCalledTimes(1);
  });
});
