import { NotificationNotFoundError, ValidationError } from '../../errors';
import type { JsonValue } from '../../model';
import { type KindHost, errorMessage, requireNonNegativeInteger } from '../kind-host';
import {
  NOTIFICATION_CHANNELS,
  type Notification,
  type NotificationChannel,
  backoffDelay,
  markAttemptFailed,
  markDelivered,
  markSent,
  notificationHandlerType,
} from './notification';
import type { NotificationStore } from './notification-store';

export interface SendNotificationInput {
  type?: string;
  channel: NotificationChannel;
  recipientId: string;
  content: JsonValue;
  retryCount?: number;
}

export interface NotificationOptions {
  /** Retries when the input gives none. */
  retryCount: number;
  /** First backoff; doubled on every retry up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long a channel handler has to answer one attempt. */
  attemptTimeoutMs?: number;
}

const DEFAULTS: NotificationOptions = { retryCount: 3, backoffMs: 1000, maxBackoffMs: 60_000 };

/**
 * Notifications: each is stored `pending`, then handed to the handler of
 * `notification.<channel>`; its answer makes it `delivered`, an error or a missing handler a
 * retry after a backoff, and the last failed retry `failed`.
 */
export class NotificationCenter {
  private readonly options: NotificationOptions;

  constructor(
    private readonly host: KindHost,
    private readonly store: NotificationStore,
    options: Partial<NotificationOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Stores the notification and delivers it; resolves with its final status. */
  async send(input: SendNotificationInput): Promise<Notification> {
    const created = await this.create(input);
    return this.deliver(created.id);
  }

  /** Stores a pending notification (the service answers 202 here and delivers in background). */
  async create(input: SendNotificationInput): Promise<Notification> {
    validateInput(input);
    const now = this.host.clock.now();
    const notification: Notification = {
      id: this.host.newId(),
      mediator: this.host.name,
      type: input.type ?? 'notification',
      channel: input.channel,
      recipientId: input.recipientId,
      content: input.content ?? null,
      status: 'pending',
      retryCount: input.retryCount ?? this.options.retryCount,
      attempts: 0,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    };
    return this.store.add(notification, this.lifecycle('notification_created', notification));
  }

  /** Runs the attempts of a pending notification until it is delivered or failed. */
  async deliver(id: string): Promise<Notification> {
    let notification = await this.get(id);
    while (notification.status === 'pending') {
      if (notification.attempts > 0) {
        const { backoffMs, maxBackoffMs } = this.options;
        await this.host.scheduler.sleep(
          backoffDelay(notification.attempts, backoffMs, maxBackoffMs),
        );
      }
      notification = await this.attempt(notification);
    }
    return notification;
  }

  async get(id: string): Promise<Notification> {
    const notification = await this.store.find(this.host.name, id);
    if (!notification) throw new NotificationNotFoundError(this.host.name, id);
    return notification;
  }

  private async attempt(pending: Notification): Promise<Notification> {
    const marked = markSent(pending, this.host.clock.now());
    const sent = await this.store.save(marked, this.lifecycle('notification_sent', marked));
    try {
      await this.host.requestAsMediator(
        'notification',
        notificationHandlerType(sent.channel),
        toHandlerPayload(sent),
        this.options.attemptTimeoutMs,
      );
    } catch (error) {
      const next = markAttemptFailed(sent, errorMessage(error), this.host.clock.now());
      const event = next.status === 'failed' ? this.lifecycle('notification_failed', next) : null;
      return this.store.save(next, event);
    }
    const delivered = markDelivered(sent, this.host.clock.now());
    return this.store.save(delivered, this.lifecycle('notification_delivered', delivered));
  }

  private lifecycle(event: string, n: Notification) {
    return this.host.event(event, {
      id: n.id,
      type: n.type,
      channel: n.channel,
      recipient_id: n.recipientId,
      attempts: n.attempts,
      ...(n.lastError ? { error: n.lastError } : {}),
    });
  }
}

function validateInput(input: SendNotificationInput): void {
  if (!NOTIFICATION_CHANNELS.includes(input.channel)) {
    throw new ValidationError('invalid notification channel', [
      { field: 'channel', problem: `must be one of ${NOTIFICATION_CHANNELS.join(', ')}` },
    ]);
  }
  if (typeof input.recipientId !== 'string' || input.recipientId === '') {
    throw new ValidationError('invalid recipient', [
      { field: 'recipient_id', problem: 'must be a non-empty string' },
    ]);
  }
  if (input.retryCount !== undefined) requireNonNegativeInteger('retry_count', input.retryCount);
}

function toHandlerPayload(n: Notification): JsonValue {
  return {
    id: n.id,
    type: n.type,
    channel: n.channel,
    recipient_id: n.recipientId,
    content: n.content,
    attempt: n.attempts,
  };
}
