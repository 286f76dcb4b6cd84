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
function hubWithPendingCommit() {
  let commit!: () => void;
  const committed = new Promise<void>((resolve) => (commit = resolve));
  const messages = {
    markDelivered: jest.fn(() => committed),
    ack: jest.fn(() => Promise.resolve(true)),
  } as unknown as MessageRepository;
  const presence = { onlineAmong: async () => new Set(['bob']) } as unknown as Presence;
  const emit = jest.fn();
  const server = { to: () => ({ timeout: () => ({ emit }) }) } as unknown as Server;
  const config = { messaging: { ackTimeoutMs: 30_000 } } as AppConfig;
  const clock = new ManualClock('2026-03-04T05:06:07.000Z');
  const hub = new RealtimeHub(messages, presence, {} as RequestReplies, config, clock);
  hub.attach(server);
  return { hub, messages, emit, commit, clock };
}

describe('RealtimeHub.deliver', () => {
  it('returns without waiting for the delivered commit, and emits only after it', async () => {
    const { hub, messages, emit, commit } = hubWithPendingCommit();
    await hub.deliver(envelope, ['bob']);
    expect(messages.markDelivered).toHaveBeenCalledTimes(1);
    expect(emit).not.toHaveBeenCalled();
    commit();
    await new Promise((resolve) => setImmediate(resolve));
    expect(emit).toHaveBeenCalledWith(
      'message',
      expect.objectContaining({ id: 'm-1', status: 'delivered' }),
      expect.any(Function),
    );
  });

  it('takes the delivered time, the ack deadline and the ack time from the clock', async () => {
    const { hub, messages, emit, commit, clock } = hubWithPendingCommit();
    await hub.deliver(envelope, ['bob']);
    commit();
    await new Promise((resolve) => setImmediate(resolve));
    expect(messages.markDelivered).toHaveBeenCalledWith(
      'orders',
      'm-1',
      'bob',
      new Date('2026-03-04T05:06:07.000Z'),
      new Date('2026-03-04T05:06:37.000Z').getTime(),
    );

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
});
