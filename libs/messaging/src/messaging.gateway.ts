import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { ForbiddenError, MediatorError } from '@mediator/core';
import { AuditService, outcomeOf } from '@mediator/audit';
import { Principal, TokenService } from '@mediator/auth';
import { asUnavailable } from '@mediator/http';
import { MetricsService } from '@mediator/observability';
import {
  ALL_MEDIATORS_ROOM,
  colleagueRoom,
  mediatorRoom,
  RealtimeHub,
  toEnvelopeWire,
} from '@mediator/realtime';
import { MessagingService } from './messaging.service';
import { validateDto } from './validate-dto';
import { WsBroadcastDto, WsSendDto, WsSubscribeDto } from './ws.dto';

type Ack =
  | { ok: true; [key: string]: unknown }
  | { ok: false; error: { code: string; message: string } };

interface SocketData {
  principal: Principal;
  colleague?: { mediator: string; id: string };
}

/** Socket.IO edge (CONTRACT §5): authenticates the handshake, then translates events to service calls. */
@WebSocketGateway()
export class MessagingGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(MessagingGateway.name);

  constructor(
    private readonly tokens: TokenService,
    private readonly messaging: MessagingService,
    private readonly hub: RealtimeHub,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  afterInit(server: Server): void {
    this.hub.attach(server);
    this.hub.observe({ delivered: (_envelope, seconds) => this.metrics.delivered('ws', seconds) });
    // Guards do not run on the handshake (nestjs/nest#882): authenticate in a middleware.
    server.use((socket, next) => {
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      const verified =
        typeof auth?.token === 'string'
          ? this.tokens.verify(auth.token)
          : this.tokens.authenticate(socket.handshake.headers.authorization);
      verified.then(
        (principal) => {
          (socket.data as SocketData).principal = principal;
          next();
        },
        () => {
          this.audit.record({
            actor: 'anonymous',
            transport: 'ws',
            action: 'connect',
            outcome: 'denied',
            details: { code: 'UNAUTHORIZED' },
          });
          next(new Error('unauthorized'));
        },
      );
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    this.metrics.wsConnections.inc();
    const data = socket.data as SocketData;
    const { mediator, colleague } = data.principal ?? {};
    if (!mediator || !colleague) return;
    data.colleague = { mediator, id: colleague };
    await socket.join(colleagueRoom(mediator, colleague));
    await this.hub.trackPresence(mediator, colleague, 1);
    try {
      await this.messaging.redeliver(mediator, colleague);
    } catch (error) {
      this.logger.warn({ err: error, mediator, colleague }, 'redelivery on connect failed');
    }
  }

  handleDisconnect(socket: Socket): void {
    this.metrics.wsConnections.dec();
    const bound = (socket.data as SocketData).colleague;
    if (bound) void this.hub.trackPresence(bound.mediator, bound.id, -1);
  }

  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.respond(async () => {
      const { mediator } = validateDto(WsSubscribeDto, body);
      const principal = (socket.data as SocketData).principal;
      try {
        if (mediator === '*') principal.requireScope('mediators:read');
        else if (principal.mediator !== mediator) {
          principal.requireMediator(mediator);
          principal.requireScope('mediators:read');
        }
      } catch (error) {
        this.audit.record({
          actor: principal.sub,
          transport: 'ws',
          action: 'subscribe',
          mediator,
          outcome: 'denied',
          requestId: socket.id,
          details: { code: (error as MediatorError).code },
        });
        throw error;
      }
      await socket.join(mediator === '*' ? ALL_MEDIATORS_ROOM : mediatorRoom(mediator));
      return { mediator };
    });
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.respond(async () => {
      const { mediator } = validateDto(WsSubscribeDto, body);
      await socket.leave(mediator === '*' ? ALL_MEDIATORS_ROOM : mediatorRoom(mediator));
      return { mediator };
    });
  }

  @SubscribeMessage('send')
  send(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.audited(socket, 'send_message', body, async (principal, senderId) => {
      const dto = validateDto(WsSendDto, body);
      principal.requireColleague(dto.mediator, senderId);
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

  @SubscribeMessage('broadcast')
  broadcast(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.audited(socket, 'broadcast_message', body, async (principal, senderId) => {
      const dto = validateDto(WsBroadcastDto, body);
      principal.requireColleague(dto.mediator, senderId);
      const envelope = await this.messaging.broadcast(dto.mediator, {
        senderId,
        message: dto.message,
        kind: dto.kind,
        type: dto.type,
      });
      return { envelope: { ...toEnvelopeWire(envelope), recipients: envelope.recipients } };
    });
  }

  /** Runs a state-changing socket operation as the token's colleague, and audits it. */
  private audited(
    socket: Socket,
    action: string,
    body: unknown,
    work: (principal: Principal, senderId: string) => Promise<Record<string, unknown>>,
  ): Promise<Ack> {
    const principal = (socket.data as SocketData).principal;
    const mediator = (body as { mediator?: unknown } | null)?.mediator;
    const context = {
      actor: principal.sub,
      transport: 'ws' as const,
      action,
      mediator: typeof mediator === 'string' ? mediator : undefined,
      requestId: socket.id,
    };
    return this.respond(async () => {
      try {
        principal.requireScope('messages:send');
        if (!principal.colleague)
          throw new ForbiddenError(
            'the token is not bound to a colleague; add the colleague claim',
            'COLLEAGUE_FORBIDDEN',
          );
        const result = await work(principal, principal.colleague);
        this.audit.record({
          ...context,
          outcome: 'ok',
          target: (result.envelope as { id?: string })?.id,
        });
        return result;
      } catch (error) {
        this.audit.record({
          ...context,
          outcome: outcomeOf(error),
          details: { code: error instanceof MediatorError ? error.code : 'INTERNAL_ERROR' },
        });
        throw error;
      }
    });
  }

  private async respond(work: () => Promise<Record<string, unknown>>): Promise<Ack> {
    try {
      return { ok: true, ...(await work()) };
    } catch (error) {
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
