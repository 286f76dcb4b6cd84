import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Kafka, type Producer } from 'kafkajs';
import type { LifecycleEvent } from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { type EventSink, OutboxRelay } from '@mediator/outbox';
import { toEventWire } from '@mediator/realtime';
import { kafkaClientConfig, PARTITIONER } from './kafka-options';

const SEND_TIMEOUT_MS = 10_000;

/**
 * Lifecycle events to `mediator-events` (CONTRACT §6), fed by the outbox relay. Key = mediator, so
 * one mediator's events share a partition and keep their order; idempotent producer, acks=all.
 * When Kafka is down `publish` throws and the relay keeps the events in the outbox.
 */
@Injectable()
export class KafkaEventSink implements EventSink, OnModuleInit, OnApplicationShutdown {
  readonly name = 'kafka';
  private readonly logger = new Logger(KafkaEventSink.name);
  private readonly topic: string;
  private readonly producer: Producer;
  private connected: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly relay: OutboxRelay,
  ) {
    const mq = config.messageQueue;
    this.topic = mq.topics.events;
    this.producer = new Kafka(kafkaClientConfig(mq, '-events')).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: PARTITIONER,
      allowAutoTopicCreation: false,
      // Bounded, so a broker that is down fails the batch (it stays in the outbox) instead of
      // holding the relay; the outbox gives at-least-once, the idempotent producer no duplicates
      // within a send.
      retry: { initialRetryTime: 200, maxRetryTime: 2000, retries: 3 },
    });
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connected = null));
  }

  onModuleInit(): void {
    this.relay.addSink(this);
  }

  async publish(events: LifecycleEvent[]): Promise<void> {
    try {
      await withTimeout(this.send(events), SEND_TIMEOUT_MS);
    } catch (error) {
      this.connected = null;
      await this.producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer
      .disconnect()
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'Kafka event producer did not disconnect cleanly'),
      );
  }

  private async send(events: LifecycleEvent[]): Promise<void> {
    this.connected ??= this.producer.connect();
    await this.connected;
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: events.map((event) => ({
        key: event.mediator,
        value: JSON.stringify(toEventWire(event)),
        headers: { event: event.event },
      })),
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Kafka did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
