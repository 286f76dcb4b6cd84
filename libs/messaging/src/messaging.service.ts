import { Injectable } from '@nestjs/common';
import {
  type BroadcastEnvelope,
  type DeliveryStatus,
  type Envelope,
  type JsonValue,
  type MediatorKind,
  MessageNotFoundError,
  ValidationError,
} from '@mediator/core';
import { OutboxRelay } from '@mediator/events';
import { CoreMediatorProvider } from '@mediator/mediators';
import {
  MessageRepository,
  type Page,
  type PageRequest,
  type StoredMessage,
} from '@mediator/persistence';
import { MetricsService } from '@mediator/observability';
import { RealtimeHub } from '@mediator/realtime';

export interface SendCommand {
  senderId: string;
  recipientId: string;
  message: unknown;
  kind?: MediatorKind;
  type?: string;
  headers?: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface BroadcastCommand {
  senderId: string;
  message: unknown;
  kind?: MediatorKind;
  type?: string;
}

const REDELIVERY_BATCH = 500;

/** Direct messages, broadcasts, inboxes and acks — one implementation for every transport. */
@Injectable()
export class MessagingService {
  constructor(
    private readonly core: CoreMediatorProvider,
    private readonly messages: MessageRepository,
    private readonly hub: RealtimeHub,
    private readonly relay: OutboxRelay,
    private readonly metrics: MetricsService,
  ) {}

  async send(mediatorName: string, command: SendCommand): Promise<Envelope> {
    const mediator = await this.core.mediator(mediatorName);
    try {
      const envelope = await mediator.sendMessage(
        command.senderId,
        command.recipientId,
        command.message as JsonValue,
        {
          kind: command.kind,
          type: command.type,
          headers: stringHeaders(command.headers),
          idempotencyKey: command.idempotencyKey,
        },
      );
      this.metrics.messageSent(envelope.kind, 'ok');
      this.relay.nudge();
      return envelope;
    } catch (error) {
      this.metrics.messageSent(command.kind ?? 'message', 'error');
      throw error;
    }
  }

  async broadcast(mediatorName: string, command: BroadcastCommand): Promise<BroadcastEnvelope> {
    const mediator = await this.core.mediator(mediatorName);
    try {
      const envelope = await mediator.broadcastMessage(
        command.senderId,
        command.message as JsonValue,
        { kind: command.kind, type: command.type },
      );
      this.metrics.messageSent(envelope.kind, 'ok');
      this.relay.nudge();
      return envelope;
    } catch (error) {
      this.metrics.messageSent(command.kind ?? 'message', 'error');
      throw error;
    }
  }

  async inbox(
    mediatorName: string,
    colleagueId: string,
    status: DeliveryStatus | undefined,
    page: PageRequest,
  ): Promise<Page<Envelope>> {
    const mediator = await this.core.mediator(mediatorName);
    await mediator.getColleague(colleagueId);
    return this.messages.inbox(mediatorName, colleagueId, status, page);
  }

  async get(mediatorName: string, messageId: string): Promise<StoredMessage> {
    await this.core.mediator(mediatorName);
    const found = await this.messages.findById(mediatorName, messageId);
    if (!found) throw new MessageNotFoundError(mediatorName, messageId);
    return found;
  }

  async ack(mediatorName: string, colleagueId: string, messageId: string): Promise<void> {
    const mediator = await this.core.mediator(mediatorName);
    await mediator.getColleague(colleagueId);
    if (!(await this.messages.ack(mediatorName, messageId, colleagueId, new Date()))) {
      throw new MessageNotFoundError(mediatorName, messageId);
    }
  }

  /** Sends again every delivery the colleague has not acknowledged (on reconnect). */
  async redeliver(mediatorName: string, colleagueId: string): Promise<number> {
    const pending = await this.messages.unacked(mediatorName, colleagueId, REDELIVERY_BATCH);
    for (const envelope of pending) await this.hub.push(envelope, colleagueId);
    return pending.length;
  }
}

function stringHeaders(
  headers: Record<string, unknown> | undefined,
): Record<string, string> | undefined {
  if (!headers) return undefined;
  const bad = Object.entries(headers).filter(([, v]) => typeof v !== 'string');
  if (bad.length > 0) {
    throw new ValidationError(
      'the request is not valid',
      bad.map(([k]) => ({ field: `headers.${k}`, problem: 'must be a string' })),
    );
  }
  return headers as Record<string, string>;
}
