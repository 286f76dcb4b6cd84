import { EventEmitter } from 'node:events';
import type { Socket } from 'socket.io';
import type { Envelope } from '@mediator/core';
import type { AuditService } from '@mediator/audit';
import type { RateLimiter, TokenService } from '@mediator/auth';
import { Principal } from '@mediator/auth/principal';
import type { AppConfig } from '@mediator/config';
import type { MetricsService } from '@mediator/observability';
import type { MediatorRepository } from '@mediator/persistence';
import type { RealtimeHub } from './realtime.hub';
import { MessagingGateway } from './messaging.gateway';
import type { SocketMessaging } from './socket-messaging.port';
import { SocketSession } from './socket-session';

const envelope = {
  id: 'm-1',
  mediator: 'orders',
  kind: 'message',
  type: 'text',
  senderId: 'alice',
  recipientId: 'bob',
  payload: { n: 1 },
  headers: {},
  correlationId: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  status: 'pending',
} as Envelope;

const SEND = { mediator: 'orders', recipient_id: 'bob', message: { n: 1 } };

/** The gateway on fakes, and a connected socket of colleague `alice` of `orders`. */
function connected() {
  const messaging = {
    send: jest.fn(async () => envelope),
    redeliver: jest.fn(async () => 0),
  };
  const gateway = new MessagingGateway(
    {} as TokenService,
    { charge: jest.fn() } as unknown as RateLimiter,
    messaging as unknown as SocketMessaging,
    {} as MediatorRepository,
    { trackPresence: jest.fn(async () => undefined) } as unknown as RealtimeHub,
    { succeeded: jest.fn(), failed: jest.fn() } as unknown as AuditService,
    { wsConnections: { inc: jest.fn(), dec: jest.fn() } } as unknown as MetricsService,
    { websocket: { maxSubscriptions: 10 } } as AppConfig,
  );
  const principal = new Principal(
    'colleague:orders:alice',
    new Set(['messages:send']),
    'orders',
    'alice',
  );
  const socket = Object.assign(new EventEmitter(), {
    id: 's-1',
    data: { session: new SocketSession(principal, '127.0.0.1') },
    join: jest.fn(async () => undefined),
  });
  // Not awaited: the listeners must be there before the connection's first await.
  void gateway.handleConnection(socket as unknown as Socket);
  return { socket, messaging };
}

/** Emits like a client: the arguments as Socket.IO hands them to the listeners. */
function answerTo(socket: EventEmitter, event: string, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve) => socket.emit(event, ...args, resolve));
}

describe('MessagingGateway events', () => {
  it('answers a send through its ack, sent as the colleague of the token', async () => {
    const { socket, messaging } = connected();
    const answer = await answerTo(socket, 'send', SEND);
    expect(answer).toEqual({
      ok: true,
      envelope: expect.objectContaining({ id: 'm-1', sender_id: 'alice', recipient_id: 'bob' }),
    });
    expect(messaging.send).toHaveBeenCalledWith(
      'orders',
      expect.objectContaining({ senderId: 'alice', recipientId: 'bob', message: { n: 1 } }),
    );
  });

  it('reads several arguments as one body (refused) and no argument as none', async () => {
    const { socket, messaging } = connected();
    expect(await answerTo(socket, 'send', SEND, SEND)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await answerTo(socket, 'send')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(messaging.send).not.toHaveBeenCalled();
  });

  it('handles an event sent without an ack, answering nothing', async () => {
    const { socket, messaging } = connected();
    socket.emit('send', SEND);
    await new Promise((resolve) => setImmediate(resolve));
    expect(messaging.send).toHaveBeenCalledTimes(1);
  });
});
