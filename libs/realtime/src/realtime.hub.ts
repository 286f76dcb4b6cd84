import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Server } from 'socket.io';
import { DeliveryPort, type Envelope, type LifecycleEvent } from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { MessageRepository } from '@mediator/persistence';
import { ALL_MEDIATORS_ROOM, colleagueRoom, mediatorRoom } from './rooms';
import { toEnvelopeWire, toEventWire } from './wire';

export interface DeliveryObserver {
  delivered(envelope: Envelope, latencySeconds: number): void;
}

/**
 * The Socket.IO edge as a port adapter: the core's DeliveryPort (push to a colleague's room,
 * acked through the Socket.IO ack callback), the sink of lifecycle events, and presence.
 * Services never import socket.io; the gateway hands its server over in afterInit.
 */
@Injectable()
export class RealtimeHub extends DeliveryPort {
  private readonly logger = new Logger(RealtimeHub.name);
  private server?: Server;
  private readonly online = new Map<string, number>();
  private observer?: DeliveryObserver;

  constructor(
    private readonly messages: MessageRepository,
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

  /** A colleague-bound socket connected (`+1`) or left (`-1`). */
  trackPresence(mediator: string, id: string, delta: 1 | -1): void {
    const room = colleagueRoom(mediator, id);
    const count = (this.online.get(room) ?? 0) + delta;
    if (count > 0) this.online.set(room, count);
    else this.online.delete(room);
  }

  isOnline(mediator: string, id: string): boolean {
    return this.online.has(colleagueRoom(mediator, id));
  }

  async deliver(envelope: Envelope, recipientIds: string[]): Promise<void> {
    if (!this.server) return;
    const reachable = recipientIds.filter((id) => this.isOnline(envelope.mediator, id));
    await Promise.all(reachable.map((id) => this.push(envelope, id)));
  }

  /** Pushes one envelope to one recipient; its ack (any callback) marks it acked. */
  async push(envelope: Envelope, recipientId: string): Promise<void> {
    if (!this.server) return;
    const sentAt = Date.now();
    const wire = toEnvelopeWire({ ...envelope, status: 'delivered' });
    await this.messages.markDelivered(envelope.mediator, envelope.id, recipientId, new Date());
    this.server
      .to(colleagueRoom(envelope.mediator, recipientId))
      .timeout(this.config.timeoutMs)
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
        this.messages
          .ack(envelope.mediator, envelope.id, recipientId, new Date())
          .catch((err: unknown) => {
            this.logger.error({ err, id: envelope.id, recipientId }, 'could not record an ack');
          });
      });
  }

  /** Sends a lifecycle event to the subscribers of its mediator and of `*`. */
  publish(event: LifecycleEvent): void {
    this.server
      ?.to([mediatorRoom(event.mediator), ALL_MEDIATORS_ROOM])
      .emit(event.event, toEventWire(event));
  }
}
