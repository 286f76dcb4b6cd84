import type { JsonValue } from '../../model';

export const NOTIFICATION_CHANNELS = ['email', 'sms', 'push', 'in_app'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export type NotificationStatus = 'pending' | 'sent' | 'delivered' | 'failed';

export interface Notification {
  id: string;
  mediator: string;
  type: string;
  channel: NotificationChannel;
  recipientId: string;
  content: JsonValue;
  status: NotificationStatus;
  /** Retries after the first attempt before the notification is `failed`. */
  retryCount: number;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The type a channel's handler `handles`: `notification.email`, `notification.sms`, … */
export function notificationHandlerType(channel: NotificationChannel): string {
  return `notification.${channel}`;
}

// State transitions: pending → sent → delivered, or sent → pending (retry) → … → failed.

export function markSent(n: Notification, now: Date): Notification {
  return { ...n, status: 'sent', attempts: n.attempts + 1, updatedAt: now };
}

export function markDelivered(n: Notification, now: Date): Notification {
  return { ...n, status: 'delivered', lastError: null, updatedAt: now };
}

/** A failed attempt: back to pending while retries remain, else failed for good. */
export function markAttemptFailed(n: Notification, error: string, now: Date): Notification {
  const retriesLeft = n.attempts <= n.retryCount;
  return { ...n, status: retriesLeft ? 'pending' : 'failed', lastError: error, updatedAt: now };
}

/** Exponential backoff before retry `attempt` (1-based): base, 2·base, 4·base, … capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
