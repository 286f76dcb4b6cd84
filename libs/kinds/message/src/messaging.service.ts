import { Injectable } from '@nestjs/common';
import {
  type BroadcastEnvelope,
  Clock,
  type DeliveryStatus,
  type Envelope,
  type JsonValue,
  type MediatorKind,
  InvalidStateError,
  MediatorError,
  MessageNotFoundError,
  ValidationError,
} from '@mediator/core';
import { CoreMediatorProvider } from '@mediator/mediators';
import {
  type DeliveryCounts,
  MessageRepository,
  type Page,
  type PageRequest,
  type StoredMessage,
} from '@mediator/persistence';
import { MetricsService } from '@mediator/observability';
import { RealtimeHub, type RequestAnswer, RequestReplies } from '@mediator/realtime';

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
    private readonly replies: RequestReplies,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
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

  /** Every recipient's copy of the mediator's messages by status (dead letters included). */
  async counts(mediatorName: string): Promise<DeliveryCounts> {
    await this.core.mediator(mediatorName);
    return this.messages.deliveryCounts(mediatorName);
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
    if (!(await this.messages.ack(mediatorName, messageId, colleagueId, this.clock.now()))) {
      throw new MessageNotFoundError(mediatorName, messageId);
    }
  }

  /**
   * A handler's answer to a request it received (command, query, workflow step, …), for handlers
   * that are not connected over Socket.IO. `asHandler` authorises the caller as the request's
   * handler. The answer reaches the instance that waits for it; the delivery is then acked.
   */
  async reply(
    mediatorName: string,
    messageId: string,
    answer: RequestAnswer,
    asHandler: (handlerId: string) => void,
  ): Promise<void> {
    const { envelope } = await this.get(mediatorName, messageId);
    const handlerId = envelope.recipientId;
    if (handlerId !== null) asHandler(handlerId);
    if (handlerId === null || envelope.correlationId !== envelope.id) {
      throw new RequestNotPendingError(messageId, 'it is not a request');
    }
    if (!(await this.replies.answer(messageId, answer))) {
      throw new RequestNotPendingError(messageId, 'it was answered already or timed out');
    }
    await this.messages.ack(mediatorName, messageId, handlerId, this.clock.now());
  }

  /**
   * Puts a message's unacknowledged deliveries (dead ones too) back to `pending` with their
   * retries renewed, and pushes them to the recipients online; `recipientId` limits it to one.
   * The message with its per-recipient status afterwards.
   */
  async redeliverMessage(
    mediatorName: string,
    messageId: string,
    recipientId: string | undefined,
  ): Promise<StoredMessage> {
    const { envelope, recipients } = await this.get(mediatorName, messageId);
    if (recipientId !== undefined && !recipients.some((r) => r.recipientId === recipientId))
      throw new MessageNotFoundError(mediatorName, messageId);
    const reset = await this.messages.resetDeliveries(
      mediatorName,
      messageId,
      recipientId === undefined ? undefined : [recipientId],
    );
    if (reset.length === 0)
      throw new InvalidStateError(`message '${messageId}' is acknowledged: nothing to redeliver`);
    const online = await this.hub.onlineAmong(mediatorName, reset);
    await Promise.all([...online].map((id) => this.hub.push(envelope, id)));
    return this.get(mediatorName, messageId);
  }

  /** Sends again every delivery the colleague has not acknowledged (on reconnect). */
  async redeliver(mediatorName: string, colleagueId: string): Promise<number> {
    const pending = await this.messages.unacked(mediatorName, colleagueId, REDELIVERY_BATCH);
    // Emitted in order at once; their delivered statuses share one commit.
    await Promise.all(pending.map((envelope) => this.hub.push(envelope, colleagueId)));
    return pending.length;
  }
}

/** A reply to a message that no request waits for (any more). */
export class RequestNotPendingError extends MediatorError {
  constructor(messageId: string, why: string) {
    super('REQUEST_NOT_PENDING', 'conflict', `message '${messageId}' awaits no reply: ${why}`);
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
