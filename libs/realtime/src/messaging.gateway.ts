import { Inject, Logger } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { ForbiddenError, MediatorError, MediatorNotFoundError } from '@mediator/core';
import { type AuditedCall, AuditService, outcomeOf } from '@mediator/audit';
import { RateLimiter, TokenService } from '@mediator/auth';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { asUnavailable, RateLimitedError, UnauthenticatedError, validateDto } from '@mediator/http';
import { MetricsService } from '@mediator/observability';
import { MediatorRepository } from '@mediator/persistence';
import { RealtimeHub } from './realtime.hub';
import { ALL_MEDIATORS_ROOM, colleagueRoom, mediatorRoom } from './rooms';
import { SocketMessaging } from './socket-messaging.port';
import { SocketSession } from './socket-session';
import { toEnvelopeWire } from './wire';
import { WsAuthenticateDto, WsBroadcastDto, WsSendDto, WsSubscribeDto } from './ws.dto';

type Ack =
  | { ok: true; [key: string]: unknown }
  | { ok: false; error: { code: string; message: string; retry_after?: number } };

type Result = Record<string, unknown>;

/** Which outcomes of an event the audit log gets: state changes all, the others their denials. */
interface AuditPolicy {
  action: string;
  body: unknown;
  record: 'all' | 'denials';
}

interface SocketData {
  session: SocketSession;
}

const sessionOf = (socket: Socket) => (socket.data as SocketData).session;
const roomOf = (mediator: string) =>
  mediator === '*' ? ALL_MEDIATORS_ROOM : mediatorRoom(mediator);

type EventHandler = (socket: Socket, body: unknown) => Promise<Ack>;

/**
 * Socket.IO edge (CONTRACT §5): authenticates the handshake, then translates events to service
 * calls. Every client event counts against the token subject's rate-limit budget (the one its
 * HTTP requests use), and the connection ends at the token's `exp` unless `authenticate` renews it.
 *
 * The events are bound on each socket here rather than with `@SubscribeMessage`: Nest's per-event
 * pipeline (an rxjs stream per event and socket, guards and pipes that do nothing for Socket.IO)
 * cost more CPU per `send` than this whole edge, and memory per idle connection. Every handler
 * answers through the ack and never throws (respond), so nothing was left for Nest to catch.
 */
@WebSocketGateway()
export class MessagingGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(MessagingGateway.name);
  private readonly listeners: Array<[event: string, listener: (...args: unknown[]) => void]>;

  constructor(
    private readonly tokens: TokenService,
    private readonly limiter: RateLimiter,
    private readonly messaging: SocketMessaging,
    private readonly mediators: MediatorRepository,
    private readonly hub: RealtimeHub,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const handlers: Record<string, EventHandler> = {
      subscribe: (socket, body) => this.subscribe(socket, body),
      unsubscribe: (socket, body) => this.unsubscribe(socket, body),
      send: (socket, body) => this.send(socket, body),
      broadcast: (socket, body) => this.broadcast(socket, body),
      authenticate: (socket, body) => this.authenticate(socket, body),
    };
    this.listeners = Object.entries(handlers).map(([event, handler]) => [
      event,
      eventListener(handler),
    ]);
  }

  afterInit(server: Server): void {
    this.hub.attach(server);
    this.hub.observe({ delivered: (_envelope, seconds) => this.metrics.delivered('ws', seconds) });
    // Guards do not run on the handshake (nestjs/nest#882): authenticate in a middleware.
    server.use((socket, next) => {
      this.authenticateHandshake(socket).then(() => next(), next);
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    // First and synchronously: an event sent right after the handshake must find its listener.
    for (const [event, listener] of this.listeners) socket.on(event, listener);
    this.metrics.wsConnections.inc();
    const session = sessionOf(socket);
    session.onExpiry(() => {
      socket.emit('token_expired', { reason: 'token_expired' });
      socket.disconnect(true);
    });
    const bound = session.colleague;
    if (!bound) return;
    await socket.join(colleagueRoom(bound.mediator, bound.id));
    await this.hub.trackPresence(bound.mediator, bound.id, 1);
    try {
      await this.messaging.redeliver(bound.mediator, bound.id);
    } catch (error) {
      this.logger.warn({ err: error, ...bound }, 'redelivery on connect failed');
    }
  }

  handleDisconnect(socket: Socket): void {
    this.metrics.wsConnections.dec();
    const session = sessionOf(socket);
    session.close();
    const bound = session.colleague;
    if (bound) void this.hub.trackPresence(bound.mediator, bound.id, -1);
  }

  subscribe(socket: Socket, body: unknown): Promise<Ack> {
    const policy: AuditPolicy = { action: 'subscribe', body, record: 'denials' };
    return this.handle(socket, policy, async (session) => {
      const { mediator } = validateDto(WsSubscribeDto, body);
      session.requireWatch(mediator);
      // After the binding check, so a bound token cannot probe which other mediators exist.
      if (mediator !== '*' && !(await this.mediators.find(mediator)))
        throw new MediatorNotFoundError(mediator);
      session.watch(mediator, this.config.websocket.maxSubscriptions);
      await socket.join(roomOf(mediator));
      return { mediator };
    });
  }

  unsubscribe(socket: Socket, body: unknown): Promise<Ack> {
    return this.handle(socket, undefined, async (session) => {
      const { mediator } = validateDto(WsSubscribeDto, body);
      session.unwatch(mediator);
      await socket.leave(roomOf(mediator));
      return { mediator };
    });
  }

  send(socket: Socket, body: unknown): Promise<Ack> {
    const policy: AuditPolicy = { action: 'send_message', body, record: 'all' };
    return this.handle(socket, policy, async (session) => {
      const senderId = requireSender(session);
      const dto = validateDto(WsSendDto, body);
      session.principal.requireColleague(dto.mediator, senderId);
      const envelope = await this.messaging.send(dto.mediator, {
        senderId,
        recipientId: dto.recipient_id,
        message: dto.message,
        kind: dto.kind,
        type: dto.type,
      });
      return { envelope: toEnvelopeWire(envelope) };
    });
  }

  broadcast(socket: Socket, body: unknown): Promise<Ack> {
    const policy: AuditPolicy = { action: 'broadcast_message', body, record: 'all' };
    return this.handle(socket, policy, async (session) => {
      const senderId = requireSender(session);
      const dto = validateDto(WsBroadcastDto, body);
      session.principal.requireColleague(dto.mediator, senderId);
      const envelope = await this.messaging.broadcast(dto.mediator, {
        senderId,
        message: dto.message,
        kind: dto.kind,
        type: dto.type,
      });
      return { envelope: { ...toEnvelopeWire(envelope), recipients: envelope.recipients } };
    });
  }

  /** Replaces the connection's token with a fresh one of the same subject and binding. */
  authenticate(socket: Socket, body: unknown): Promise<Ack> {
    const policy: AuditPolicy = { action: 'authenticate', body: undefined, record: 'denials' };
    return this.handle(socket, policy, async (session) => {
      const { token } = validateDto(WsAuthenticateDto, body);
      const lost = session.renew(await this.tokens.verify(token));
      await Promise.all(lost.map((mediator) => socket.leave(roomOf(mediator))));
      return { expires_at: session.principal.expiresAt?.toISOString() ?? null };
    });
  }

  /**
   * The handshake's principal. A caller without a valid token is limited per IP (`rate_limited`
   * past the budget) and its refusals are counted per IP and minute, not audited one row each.
   */
  private async authenticateHandshake(socket: Socket): Promise<void> {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const address = socket.handshake.address;
    try {
      const principal =
        typeof auth?.token === 'string'
          ? await this.tokens.verify(auth.token)
          : await this.tokens.authenticate(socket.handshake.headers.authorization);
      (socket.data as SocketData).session = new SocketSession(principal, address);
    } catch {
      const limited = await this.limitRefusedHandshake(address);
      const refusal = limited ?? new UnauthenticatedError('unauthorized');
      this.audit.failed({ transport: 'ws', action: 'connect', ip: address }, refusal);
      // `data` reaches the client as connect_error's `data`.
      throw limited
        ? Object.assign(new Error('rate_limited'), {
            data: { code: limited.code, retry_after: limited.retryAfterSeconds },
          })
        : new Error('unauthorized');
    }
  }

  /** Counts a refused handshake against its IP's budget; the error once the budget is spent. */
  private async limitRefusedHandshake(address: string): Promise<RateLimitedError | undefined> {
    try {
      await this.limiter.consume(RateLimiter.ip(address));
      return undefined;
    } catch (error) {
      if (error instanceof RateLimitedError) return error;
      // Without the counter (Redis down) the caller is still refused, just not limited.
      this.logger.warn({ err: error }, 'could not count a refused handshake');
      return undefined;
    }
  }

  /** Counts the event against the caller's budget, runs it, and audits it as `policy` says. */
  private handle(
    socket: Socket,
    policy: AuditPolicy | undefined,
    work: (session: SocketSession) => Promise<Result>,
  ): Promise<Ack> {
    const session = sessionOf(socket);
    return this.respond(async () => {
      try {
        // charge() settles at once with in-process counters: no promise to wait for then.
        const charged = this.limiter.charge(trackerOf(session));
        if (charged) await charged;
        const result = await work(session);
        if (policy?.record === 'all') this.audit.succeeded(auditedCall(socket, policy, result));
        return result;
      } catch (error) {
        if (policy && (policy.record === 'all' || outcomeOf(error) === 'denied'))
          this.audit.failed(auditedCall(socket, policy), error);
        throw error;
      }
    });
  }

  private async respond(work: () => Promise<Result>): Promise<Ack> {
    try {
      return { ok: true, ...(await work()) };
    } catch (error) {
      if (error instanceof RateLimitedError)
        return {
          ok: false,
          error: { code: error.code, message: error.message, retry_after: error.retryAfterSeconds },
        };
      if (error instanceof MediatorError)
        return { ok: false, error: { code: error.code, message: error.message } };
      const unavailable = asUnavailable(error);
      if (unavailable)
        return { ok: false, error: { code: unavailable.code, message: unavailable.message } };
      this.logger.error({ err: error }, 'socket operation failed');
      return { ok: false, error: { code: 'INTERNAL_ERROR', message: 'internal error' } };
    }
  }
}

/**
 * The listener of one event, shared by every socket (Socket.IO calls it with the socket as
 * `this`): no closures per connection. The arguments are read as Nest's Socket.IO adapter read
 * them: a trailing function is the ack; one argument is the body, several are an array.
 */
function eventListener(handler: EventHandler): (...args: unknown[]) => void {
  return function (this: Socket, ...args: unknown[]) {
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    const body = args.length > 1 ? args : args[0];
    void handler(this, body).then((answer) => {
      if (ack) (ack as (answer: Ack) => void)(answer);
    });
  };
}

/** The token subject's budget, shared with its HTTP requests (per IP with security off). */
function trackerOf(session: SocketSession): string {
  const sub = session.principal.sub;
  return sub === 'anonymous' ? RateLimiter.ip(session.remoteAddress) : RateLimiter.subject(sub);
}

/** Messages over the socket go out as the token's colleague, so the token needs one. */
function requireSender(session: SocketSession): string {
  const principal = session.principal;
  principal.requireScope('messages:send');
  if (!principal.colleague)
    throw new ForbiddenError(
      'the token is not bound to a colleague; add the colleague claim',
      'COLLEAGUE_FORBIDDEN',
    );
  return principal.colleague;
}

/** A Socket.IO event as an audited call; what it sent names the target. */
function auditedCall(socket: Socket, policy: AuditPolicy, result?: Result): AuditedCall {
  const mediator = (policy.body as { mediator?: unknown } | null)?.mediator;
  return {
    transport: 'ws',
    action: policy.action,
    actor: sessionOf(socket).principal.sub,
    mediator: typeof mediator === 'string' ? mediator : undefined,
    requestId: socket.id,
    target: (result?.envelope as { id?: string } | undefined)?.id,
  };
}
