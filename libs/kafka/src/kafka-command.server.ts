import { KafkaHeaders, ServerKafka } from '@nestjs/microservices';
import type { EachMessagePayload, IHeaders, KafkaMessage } from 'kafkajs';
import type { AppConfig } from '@mediator/config';
import { FETCH_MAX_WAIT_MS, kafkaClientConfig, PARTITIONER } from './kafka-options';

/**
 * Set by the server (never taken from the client) on a record whose `kafka_replyTopic` is not an
 * allowed reply topic: the handler answers it with REPLY_TOPIC_FORBIDDEN and does not execute it.
 */
export const REFUSED_REPLY_TOPIC = 'mediator_refusedReplyTopic';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * The Kafka transport of the hybrid app (CONTRACT §6). Three changes to Nest's ServerKafka:
 * - a request without `kafka_replyTopic` is answered on the responses topic (Nest would treat it
 *   as an event and not answer), so any Kafka client only has to set `kafka_correlationId`;
 * - replies go only to the allowed reply topics (`message_queue.reply_topics`): a record asking
 *   for another topic is answered on the responses topic (its `kafka_replyPartition` ignored), so
 *   a client cannot make the service write to a topic the client itself may not write;
 * - `listen` returns at once and connects in the background with backoff, so HTTP starts even
 *   when the broker is down; health reports `kafka` down until the consumer has joined its group.
 */
export class KafkaCommandServer extends ServerKafka {
  private readonly replyTopic: string;
  private readonly allowedReplyTopics: ReadonlySet<string>;
  private consuming = false;
  private closing = false;
  private connecting: Promise<void> | null = null;
  private wakeUp?: () => void;

  constructor(config: AppConfig) {
    const mq = config.messageQueue;
    super({
      client: kafkaClientConfig(mq, '-commands'),
      // The group is exactly message_queue.group_id (Nest appends "-server" by default).
      postfixId: '',
      consumer: {
        groupId: mq.groupId,
        maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
        // After a broker restart the group waits for the old member's session to lapse before it
        // hands the partitions out again: 10 s instead of kafkajs's 30 s gets commands flowing sooner.
        sessionTimeout: 10_000,
        rebalanceTimeout: 10_000,
        heartbeatInterval: 1_000,
        allowAutoTopicCreation: false,
      },
      subscribe: { fromBeginning: false },
      // One partition's records stay in order; the partitions of the topic run side by side.
      run: { partitionsConsumedConcurrently: 3 },
      producer: { createPartitioner: PARTITIONER, allowAutoTopicCreation: false },
    });
    this.replyTopic = mq.topics.responses;
    this.allowedReplyTopics = new Set(mq.replyTopics);
  }

  /** True while the consumer is in its group (for the health check). */
  get isConsuming(): boolean {
    return this.consuming;
  }

  override async listen(callback: (err?: unknown) => void): Promise<void> {
    callback();
    this.connectInBackground();
  }

  override async close(): Promise<void> {
    this.closing = true;
    this.consuming = false;
    this.wakeUp?.();
    await this.connecting;
    await super.close();
  }

  override async handleMessage(payload: EachMessagePayload): Promise<unknown> {
    const headers: IHeaders = { ...payload.message.headers };
    delete headers[REFUSED_REPLY_TOPIC];
    const requested = headers[KafkaHeaders.REPLY_TOPIC]?.toString();
    if (requested === undefined) {
      headers[KafkaHeaders.REPLY_TOPIC] = this.replyTopic;
    } else if (!this.allowedReplyTopics.has(requested)) {
      headers[KafkaHeaders.REPLY_TOPIC] = this.replyTopic;
      delete headers[KafkaHeaders.REPLY_PARTITION];
      headers[REFUSED_REPLY_TOPIC] = requested;
    }
    return super.handleMessage({
      ...payload,
      message: { ...payload.message, headers } as KafkaMessage,
    });
  }

  protected override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    const consumer = this.consumer!;
    consumer.on(consumer.events.GROUP_JOIN, () => (this.consuming = true));
    consumer.on(consumer.events.STOP, () => (this.consuming = false));
    consumer.on(consumer.events.DISCONNECT, () => (this.consuming = false));
    consumer.on(consumer.events.CRASH, (event) => {
      this.consuming = false;
      // kafkajs restarts by itself after a retriable error; after any other, start over here.
      if (!event.payload.restart) {
        this.logger.warn(`Kafka consumer crashed (${event.payload.error.message}); reconnecting`);
        this.connectInBackground();
      }
    });
  }

  private connectInBackground(): void {
    if (this.connecting || this.closing) return;
    this.connecting = this.connectWithBackoff().finally(() => (this.connecting = null));
  }

  private async connectWithBackoff(): Promise<void> {
    let delay = FIRST_RETRY_MS;
    while (!this.closing) {
      try {
        await this.disconnectQuietly();
        this.client = await this.createClient();
        await this.start(() => undefined);
        if (this.closing) await this.disconnectQuietly();
        return;
      } catch (error) {
        this.logger.warn(
          `Kafka not reachable (${(error as Error).message}); retrying in ${delay} ms`,
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }
  }

  private async disconnectQuietly(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.consumer = null;
    this.producer = null;
  }
}
