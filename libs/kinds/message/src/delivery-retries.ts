import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock, type Envelope, type LifecycleEvent, UuidV7Generator } from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { PeriodicTask } from '@mediator/persistence';
import { MetricsService } from '@mediator/observability';
import { type DueDelivery, type FailureOutcome, MessageRepository } from '@mediator/persistence';
import { RealtimeHub } from '@mediator/realtime';

/** Due slots one sweep pass handles; the next pass takes the rest. */
const SWEEP_BATCH = 200;

type FailureReason = 'refused' | 'ack_timeout';

/**
 * Acks mean acks: a message or event its colleague refused (`{ ok: false }` over Socket.IO) or
 * left unanswered past `messaging.ack_timeout` is a failed attempt; it is pushed again after a
 * backoff (`messaging.backoff`, doubled each time up to `messaging.max_backoff`), and after
 * `retry_count` retries it is `dead` (with a `message_dead` event) until someone redelivers it.
 *
 * The schedule lives in the database (`due_at` of each slot), not in timers: every instance
 * sweeps for due slots, and each change is a compare-and-set on the slot as read (status,
 * attempts, due time), so with several instances one of them counts a failure or pushes a retry,
 * and an ack that landed meanwhile wins — its slot is no longer `delivered` or `pending`.
 */
@Injectable()
export class DeliveryRetries implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryRetries.name);
  private readonly ids = new UuidV7Generator();
  private readonly sweeper: PeriodicTask;

  constructor(
    private readonly messages: MessageRepository,
    private readonly hub: RealtimeHub,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.sweeper = new PeriodicTask(
      'redelivery sweep',
      config.messaging.sweepIntervalMs,
      () => this.sweep(),
      this.logger,
    );
    hub.onRefusal((envelope, recipientId, error) => {
      this.refused(envelope, recipientId, error).catch((err: unknown) => {
        this.logger.warn({ err, id: envelope.id, recipientId }, 'could not record a refusal');
      });
    });
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** A refusal of the delivery as it is now (a refusal of an acked or dead one changes nothing). */
  async refused(envelope: Envelope, recipientId: string, error: string): Promise<void> {
    const state = await this.messages.deliveryState({
      mediator: envelope.mediator,
      messageId: envelope.id,
      recipientId,
    });
    if (state) await this.fail(state, envelope, 'refused', error);
  }

  /** One pass: overdue acks count as failures, due retries are pushed (or wait for a reconnect). */
  async sweep(now = this.clock.now().getTime()): Promise<void> {
    for (const due of await this.messages.dueDeliveries(now, SWEEP_BATCH)) {
      const stored = await this.messages.findById(due.mediator, due.messageId);
      // A slot without its message (MongoDB: a save that stopped before its message was written,
      // its slots stored as delivered): nothing to push, and off the schedule, so that such
      // slots do not fill every pass.
      if (!stored) {
        await this.messages.reschedule(due, null);
        continue;
      }
      if (due.status === 'delivered') {
        const seconds = this.config.messaging.ackTimeoutMs / 1000;
        await this.fail(due, stored.envelope, 'ack_timeout', `ACK_TIMEOUT: no ack in ${seconds}s`);
      } else {
        await this.retry(due, stored.envelope);
      }
    }
  }

  private async retry(due: DueDelivery, envelope: Envelope): Promise<void> {
    const online = await this.hub.isOnline(due.mediator, due.recipientId);
    // Offline: nothing scheduled; the reconnect redelivers it (MessagingService.redeliver).
    const claimedUntil = online
      ? this.clock.now().getTime() + this.config.messaging.ackTimeoutMs
      : null;
    if (!(await this.messages.reschedule(due, claimedUntil)) || !online) return;
    await this.hub.push({ ...envelope, status: 'pending' }, due.recipientId);
  }

  private async fail(
    state: DueDelivery,
    envelope: Envelope,
    reason: FailureReason,
    error: string,
  ): Promise<void> {
    const attempts = state.attempts + 1;
    const dead = attempts > this.config.retryCount;
    const outcome: FailureOutcome = dead
      ? { status: 'dead', event: this.deadEvent(state, envelope, attempts, error) }
      : { status: 'pending', dueAt: this.clock.now().getTime() + this.backoffMs(attempts) };
    if (!(await this.messages.recordFailure(state, error, outcome))) return;
    this.metrics.deliveryFailed(envelope.kind, reason, dead);
  }

  /** backoff, 2 × backoff, 4 × backoff, … up to max_backoff, before retry number `attempts`. */
  private backoffMs(attempts: number): number {
    const { backoffMs, maxBackoffMs } = this.config.messaging;
    return Math.min(backoffMs * 2 ** Math.min(attempts - 1, 30), maxBackoffMs);
  }

  private deadEvent(
    slot: DueDelivery,
    envelope: Envelope,
    attempts: number,
    error: string,
  ): LifecycleEvent {
    return {
      id: this.ids.next(),
      event: 'message_dead',
      mediator: slot.mediator,
      data: {
        message_id: slot.messageId,
        recipient_id: slot.recipientId,
        sender_id: envelope.senderId,
        kind: envelope.kind,
        type: envelope.type,
        attempts,
        error,
      },
      timestamp: this.clock.now(),
    };
  }
}
