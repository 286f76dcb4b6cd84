import { randomUUID } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { LifecycleEvent } from '@mediator/core';
import { BackgroundFailures, OutboxRepository } from '@mediator/persistence';
import { RealtimeHub } from '@mediator/realtime';
import { RelayLease } from './relay-lease';

/** Somewhere lifecycle events go besides Socket.IO (Kafka's mediator-events). */
export interface EventSink {
  readonly name: string;
  publish(events: LifecycleEvent[]): Promise<void>;
}

const POLL_INTERVAL_MS = 250;
const BATCH = 200;
/** Several instances share the outbox: the lease holder publishes, the others take over when it lapses. */
const LEASE_MS = 10_000;

/**
 * Publishes the transactional outbox (DESIGN rule 4): reads committed events in order, hands
 * them to Socket.IO and every registered sink, then deletes them. A sink that fails (Kafka down)
 * leaves the events in the outbox, so they are published once it is back: at-least-once.
 * With several instances, only the holder of the relay lease publishes (in order); an event is
 * published twice only when a lease changes hands mid-batch.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly failures = new BackgroundFailures('outbox relay', this.logger);
  private readonly sinks: EventSink[] = [];
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  /** A pass is scheduled with no delay: a nudge need not re-arm the timer. */
  private dueNow = false;
  private stopped = false;
  private readonly lease: RelayLease;
  /** Highest seq already pushed to Socket.IO: a batch retried for a failed sink is not pushed again. */
  private pushedUpTo = -1n;
  private unsubscribe?: () => void;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly hub: RealtimeHub,
  ) {
    this.lease = new RelayLease(outbox, randomUUID(), LEASE_MS);
  }

  addSink(sink: EventSink): void {
    this.sinks.push(sink);
  }

  /**
   * Every commit that wrote outbox rows nudges the relay (the outbox tells it, so no service
   * has to); the poll only catches what another instance committed.
   */
  onApplicationBootstrap(): void {
    this.unsubscribe = this.outbox.onCommitted(() => this.nudge());
    this.schedule(0);
  }

  /**
   * Something was committed: publish it now rather than at the next poll. Called once per
   * commit, so it only sets a flag or arms one timer; under load the relay runs pass after pass,
   * each taking everything committed meanwhile.
   */
  nudge(): void {
    if (this.running) this.again = true;
    else if (!this.dueNow) this.schedule(0);
  }

  /** Publishes everything committed so far (used on shutdown and by tests). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    await this.runOnce();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    try {
      await this.drain();
    } catch (error) {
      this.logger.warn(
        { err: error },
        'outbox not fully flushed at shutdown; it is published at the next start',
      );
    }
    await this.lease.release().catch(() => undefined);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.dueNow = delay === 0;
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    this.dueNow = false;
    let delay = POLL_INTERVAL_MS;
    try {
      const published = await this.runOnce();
      this.failures.succeeded();
      if (published === BATCH || this.again) delay = 0;
    } catch (error) {
      this.failures.failed(error);
      delay = 1000;
    }
    this.again = false;
    this.schedule(delay);
  }

  private runOnce(): Promise<number> {
    const run = (async () => {
      const leader = await this.lease.hold();
      const events = leader ? await this.outbox.next(BATCH) : [];
      if (events.length > 0) {
        for (const event of events) {
          if (BigInt(event.seq) <= this.pushedUpTo) continue;
          this.hub.publish(event);
          this.pushedUpTo = BigInt(event.seq);
        }
        for (const sink of this.sinks) await sink.publish(events);
        await this.outbox.remove(events.map((e) => e.seq));
      }
      return events.length;
    })();
    this.running = run.then(
      () => undefined,
      () => undefined,
    );
    return run.finally(() => {
      this.running = null;
    });
  }
}
