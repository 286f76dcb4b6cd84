import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Server } from 'socket.io';
import { DeliveryPort, type Envelope, type LifecycleEvent } from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { MessageRepository } from '@mediator/persistence';
import { Presence } from './presence';
import { REQUEST_ACK_WINDOW_MS, RequestReplies } from './request-replies';
import { ALL_MEDIATORS_ROOM, colleagueRoom, mediatorRoom } from './rooms';
import { toEnvelopeWire, toEventWire } from './wire';

export interface DeliveryObserver {
  delivered(envelope: Envelope, latencySeconds: number): void;
}

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

  constructor(
    private readonly messages: MessageRepository,
    private readonly presence: Presence,
    private readonly replies: RequestReplies,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  attach(server: Server): void {
    this.server = server;
  }

  observe(observer: DeliveryObserver): void {
    this.observer = observer;
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

  async deliver(envelope: Envelope, recipientIds: string[]): Promise<void> {
    if (!this.server) return;
    const reachable = await this.presence.onlineAmong(envelope.mediator, recipientIds);
    await Promise.all([...reachable].map((id) => this.push(envelope, id)));
  }

  /**
   * Pushes one envelope to one recipient; its ack (any callback) marks it acked. With the Redis
   * adapter the room may live on another instance: the adapter forwards the emit and carries the
   * client's ack back here (broadcastWithAck), so the ack is recorded wherever the socket is.
   * A request's ack is the handler's answer (`{ ok, result | error }`): it goes to the instance
   * that waits for it — here for a first push, maybe elsewhere for a redelivery on reconnect.
   */
  async push(envelope: Envelope, recipientId: string): Promise<void> {
    if (!this.server) return;
    const sentAt = Date.now();
    const request = isRequest(envelope);
    const wire = toEnvelopeWire({ ...envelope, status: 'delivered' });
    // Queued before the emit, so a quick ack is written after it (acked wins); awaited after it,
    // so the push does not wait for the commit, but the caller (and its 202) does.
    const delivered = this.messages.markDelivered(
      envelope.mediator,
      envelope.id,
      recipientId,
      new Date(),
    );
    this.server
      .to(colleagueRoom(envelope.mediator, recipientId))
      .timeout(request ? REQUEST_ACK_WINDOW_MS : this.config.defaultWaitMs)
      .emit('message', wire, (error: Error | null, responses: unknown[]) => {
        if (!responses || responses.length === 0) {
          if (error)
            this.logger.debug(
              { id: envelope.id, recipientId },
              'delivery not acknowledged in time',
            );
          return;
        }
        this.observer?.delivered(envelope, (Date.now() - sentAt) / 1000);
        if (request) {
          this.replies.answer(envelope.id, responses[0]).catch((err: unknown) => {
            this.logger.warn({ err, id: envelope.id, recipientId }, 'could not pass an answer on');
          });
        }
        this.messages
          .ack(envelope.mediator, envelope.id, recipientId, new Date())
          .catch((err: unknown) => {
            this.logger.error({ err, id: envelope.id, recipientId }, 'could not record an ack');
          });
      });
    await delivered;
  }

  /** Sends a lifecycle event to the subscribers of its mediator and of `*`. */
  publish(event: LifecycleEvent): void {
    this.server
      ?.to([mediatorRoom(event.mediator), ALL_MEDIATORS_ROOM])
      .emit(event.event, toEventWire(event));
  }
}

/** Requests (the core sets their correlation id to their own id) are answered by their ack. */
function isRequest(envelope: Envelope): boolean {
  return (
    envelope.correlationId === envelope.id &&
    envelope.kind !== 'message' &&
    envelope.kind !== 'event'
  );
}
