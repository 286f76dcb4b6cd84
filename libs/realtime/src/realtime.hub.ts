import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Server } from 'socket.io';
import {
  Clock,
  DeliveryPort,
  type Envelope,
  type LifecycleEvent,
  type ReachableRecipients,
} from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { MessageRepository } from '@mediator/persistence';
import { Presence } from './presence';
import { REQUEST_ACK_WINDOW_MS, RequestReplies } from './request-replies';
import { ALL_MEDIATORS_ROOM, colleagueRoom, mediatorRoom } from './rooms';
import { type EnvelopeWire, toEnvelopeWire, toEventWire } from './wire';

export interface DeliveryObserver {
  delivered(envelope: Envelope, latencySeconds: number): void;
}

/** Told of a delivery its colleague refused (`{ ok: false, error }`); its delivered status is stored. */
export type RefusalHandler = (envelope: Envelope, recipientId: string, error: string) => void;

/**
 * The Socket.IO edge as a port adapter: the core's DeliveryPort (push to a colleague's room,
 * acked through the Socket.IO ack callback), the sink of lifecycle events, and presence (shared
 * across instances through Redis when configured, see presence.ts).
 * Services never import socket.io; the gateway hands its server over in afterInit.
 */
@Injectable()
export class RealtimeHub extends DeliveryPort {
  private readonly logger = new Logger(RealtimeHub.name);
  private server?: Server;
  private observer?: DeliveryObserver;
  private refusals?: RefusalHandler;

  constructor(
    private readonly messages: MessageRepository,
    private readonly presence: Presence,
    private readonly replies: RequestReplies,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    super();
  }

  attach(server: Server): void {
    this.server = server;
  }

  observe(observer: DeliveryObserver): void {
    this.observer = observer;
  }

  onRefusal(handler: RefusalHandler): void {
    this.refusals = handler;
  }

  /** A colleague-bound socket of this instance connected (`+1`) or left (`-1`). */
  trackPresence(mediator: string, id: string, delta: 1 | -1): Promise<void> {
    return this.presence.track(mediator, id, delta);
  }

  /** Online on any instance. */
  isOnline(mediator: string, id: string): Promise<boolean> {
    return this.presence.isOnline(mediator, id);
  }

  onlineAmong(mediator: string, ids: string[]): Promise<Set<string>> {
    return this.presence.onlineAmong(mediator, ids);
  }

  /**
   * Before a save: the recipients online now (on any instance), whose copies the save stores as
   * delivered, with one delivered time and ack deadline for all of them (a request has none).
   */
  async reachableRecipients(
    envelope: Envelope,
    recipientIds: string[],
  ): Promise<ReachableRecipients | null> {
    if (!this.server || recipientIds.length === 0) return null;
    const online = await this.presence.onlineAmong(envelope.mediator, recipientIds);
    if (online.size === 0) return null;
    const { deliveredAt, ackDueAt } = this.deadline(envelope);
    return { ids: online, at: deliveredAt, ackDueAt };
  }

  /**
   * After the save's commit: emits at once to the recipients `reachableRecipients` found, whose
   * delivered status that commit stored, so a send costs one commit and a broadcast's emits wait
   * for nothing. A recipient that connected between the check and the commit may have read its
   * inbox before the commit: the others are looked up again, and those online now are pushed as
   * redeliveries are (`push`: delivered status committed first). Returns once the emits are
   * scheduled.
   */
  async deliver(
    envelope: Envelope,
    recipientIds: string[],
    reachable: ReachableRecipients | null,
  ): Promise<void> {
    if (!this.server) return;
    if (reachable) {
      // One wire form for every recipient of a broadcast. Emitted in the next turn of the event
      // loop: the sender's answer (the 202, the `send` ack), written as this call returns, goes
      // out first, so a sender that starts listening once answered still sees the push.
      const attempt = this.attempt(envelope, {
        deliveredAt: reachable.at,
        ackDueAt: reachable.ackDueAt,
      });
      setImmediate(() => {
        for (const id of reachable.ids) this.emit(attempt, id);
      });
    }
    const others = reachable ? recipientIds.filter((id) => !reachable.ids.has(id)) : recipientIds;
    if (others.length === 0) return;
    const online = await this.presence.onlineAmong(envelope.mediator, others);
    if (online.size === 0) return;
    // One delivered time for all of them: their statuses share one UPDATE per batch of slots.
    const attempt = this.attempt(envelope);
    for (const id of online) {
      this.pushAttempt(attempt, id).catch((err: unknown) => {
        this.logger.error({ err, id: envelope.id, recipientId: id }, 'could not push a delivery');
      });
    }
  }

  /**
   * Pushes one envelope to one recipient; its ack (any answer but a refusal) marks it acked. With
   * the Redis adapter the room may live on another instance: the adapter forwards the emit and
   * carries the client's ack back here (broadcastWithAck), so the ack is recorded wherever the
   * socket is. A request's ack is the handler's answer (`{ ok, result | error }`, an error being
   * an answer too): it goes to the instance that waits for it — here for a first push, maybe
   * elsewhere for a redelivery on reconnect. A message or event answered `{ ok: false }` is
   * refused (a nack) and goes to the refusal handler; one not answered within the ack timeout is
   * found overdue by the redelivery sweep (its deadline is stored with the delivered status).
   * This push of a stored envelope (a redelivery, a request) emits after the commit of its
   * delivered status: a colleague holding the message can always read it as delivered, on any
   * database, and its ack is written after that status. Resolves once both are done.
   */
  push(envelope: Envelope, recipientId: string): Promise<void> {
    return this.pushAttempt(this.attempt(envelope), recipientId);
  }

  /** A delivery's time now, and when its ack is overdue. */
  private deadline(envelope: Envelope): { deliveredAt: Date; ackDueAt: number | null } {
    const deliveredAt = this.clock.now();
    // A request's wait is bounded by its own timeout, not by the sweep: no ack deadline.
    const ackDueAt = isRequest(envelope)
      ? null
      : deliveredAt.getTime() + this.config.messaging.ackTimeoutMs;
    return { deliveredAt, ackDueAt };
  }

  /** What every recipient of one push of `envelope` shares; delivered now unless told when. */
  private attempt(
    envelope: Envelope,
    { deliveredAt, ackDueAt } = this.deadline(envelope),
  ): Attempt {
    const request = isRequest(envelope);
    return {
      envelope,
      request,
      ackTimeoutMs: request ? REQUEST_ACK_WINDOW_MS : this.config.messaging.ackTimeoutMs,
      // Wall time for the delivery-latency metric; the delivered and ack times are the clock's.
      sentAt: Date.now(),
      deliveredAt,
      ackDueAt,
      wire: toEnvelopeWire({ ...envelope, status: 'delivered' }),
    };
  }

  /** Stores the delivered status, then emits (see `push`). */
  private async pushAttempt(attempt: Attempt, recipientId: string): Promise<void> {
    if (!this.server) return;
    const { envelope } = attempt;
    await this.messages.markDelivered(
      envelope.mediator,
      envelope.id,
      recipientId,
      attempt.deliveredAt,
      attempt.ackDueAt,
    );
    this.emit(attempt, recipientId);
  }

  /** Emits to the recipient's room; its delivered status is stored already. */
  private emit(attempt: Attempt, recipientId: string): void {
    const server = this.server;
    if (!server) return;
    const { envelope, request, ackTimeoutMs, sentAt, wire } = attempt;
    server
      .to(colleagueRoom(envelope.mediator, recipientId))
      .timeout(ackTimeoutMs)
      .emit('message', wire, (error: Error | null, responses: unknown[]) => {
        if (!responses || responses.length === 0) {
          if (error)
            this.logger.debug(
              { id: envelope.id, recipientId },
              'delivery not acknowledged in time',
            );
          return;
        }
        if (!request && responses.every(isRefusal)) {
          this.refusals?.(envelope, recipientId, refusalReason(responses[0]));
          return;
        }
        this.observer?.delivered(envelope, (Date.now() - sentAt) / 1000);
        if (request) {
          this.replies.answer(envelope.id, responses[0]).catch((err: unknown) => {
            this.logger.warn({ err, id: envelope.id, recipientId }, 'could not pass an answer on');
          });
        }
        this.messages
          .ack(envelope.mediator, envelope.id, recipientId, this.clock.now())
          .catch((err: unknown) => {
            this.logger.error({ err, id: envelope.id, recipientId }, 'could not record an ack');
          });
      });
  }

  /** Sends a lifecycle event to the subscribers of its mediator and of `*`. */
  publish(event: LifecycleEvent): void {
    const server = this.server;
    if (!server) return;
    const rooms = [mediatorRoom(event.mediator), ALL_MEDIATORS_ROOM];
    // Without the Redis adapter only this instance's sockets can receive it: when none of them
    // subscribed, the event goes nowhere and Socket.IO would still encode it.
    const local = !this.config.database.redis.enabled;
    if (local && !rooms.some((room) => server.sockets.adapter.rooms.has(room))) return;
    server.to(rooms).emit(event.event, toEventWire(event));
  }
}

/** One push of an envelope, shared by its recipients. */
interface Attempt {
  envelope: Envelope;
  request: boolean;
  ackTimeoutMs: number;
  sentAt: number;
  deliveredAt: Date;
  ackDueAt: number | null;
  wire: EnvelopeWire;
}

/** `{ ok: false, … }`: the client's handler refused the delivery (or threw). */
function isRefusal(answer: unknown): boolean {
  return typeof answer === 'object' && answer !== null && (answer as { ok?: unknown }).ok === false;
}

/** `CODE: message` of a refusal's error, bounded (it is stored and sent in `message_dead`). */
function refusalReason(answer: unknown): string {
  const error = (answer as { error?: { code?: unknown; message?: unknown } }).error;
  const code = typeof error?.code === 'string' ? error.code : 'REFUSED';
  const message = typeof error?.message === 'string' ? error.message : '';
  return `${code}${message ? `: ${message}` : ''}`.slice(0, 500);
}

/** Requests (the core sets their correlation id to their own id) are answered by their ack. */
function isRequest(envelope: Envelope): boolean {
  return (
    envelope.correlationId === envelope.id &&
    envelope.kind !== 'message' &&
    envelope.kind !== 'event'
  );
}
