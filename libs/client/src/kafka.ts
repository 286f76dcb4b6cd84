// @mediator/client/kafka: commands over Kafka (CONTRACT §6) for services that already speak it.
// A separate entry point: kafkajs is Node-only and stays out of the browser bundle.
import { randomUUID } from 'node:crypto';
import { type Consumer, Kafka, type KafkaConfig, logLevel, type Producer } from 'kafkajs';
import { errorFromAnswer, RequestTimeoutError } from './errors';
import { currentToken, type TokenSource } from './token';

export interface MediatorKafkaClientOptions {
  brokers: string[];
  /** The JWT sent as `authorization: Bearer <jwt>` on every command, or where to get it. */
  token: TokenSource;
  clientId?: string;
  commandsTopic?: string;
  responsesTopic?: string;
  /** The group reading replies: unique per client by default, so every reply reaches it. */
  groupId?: string;
  /** Default wait for a reply. Default 10 s. */
  timeoutMs?: number;
  /** More kafkajs settings (ssl, sasl, retry, …). */
  kafka?: Omit<KafkaConfig, 'brokers' | 'clientId'>;
}

interface Reply {
  correlation_id?: string;
  ok?: boolean;
  result?: unknown;
  error?: unknown;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Sends `{ type, payload }` to `mediator-commands` with a `kafka_correlationId` header and resolves
 * with the matching reply from `mediator-responses`: its `result`, or a MediatorApiError subclass
 * for `{ ok: false, error }`, or RequestTimeoutError when no reply comes in time.
 */
export class MediatorKafkaClient {
  private readonly pending = new Map<string, Pending>();

  private constructor(
    private readonly producer: Producer,
    private readonly consumer: Consumer,
    private readonly options: MediatorKafkaClientOptions,
  ) {}

  /** Connects the producer and the reply consumer; resolves once replies can be received. */
  static async connect(options: MediatorKafkaClientOptions): Promise<MediatorKafkaClient> {
    const kafka = new Kafka({
      logLevel: logLevel.NOTHING,
      ...options.kafka,
      brokers: options.brokers,
      clientId: options.clientId ?? 'mediator-client',
    });
    const producer = kafka.producer();
    const consumer = kafka.consumer({
      groupId: options.groupId ?? `mediator-client-${randomUUID()}`,
    });
    const client = new MediatorKafkaClient(producer, consumer, options);
    await client.start();
    return client;
  }

  /** Runs an operation (`create_mediator`, `execute_command`, `submit_task`, …) and returns its result. */
  async request<R = unknown>(
    type: string,
    payload: Record<string, unknown>,
    options: { timeoutMs?: number } = {},
  ): Promise<R> {
    const correlationId = randomUUID();
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 10_000;
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(
          new RequestTimeoutError({
            code: 'REQUEST_TIMEOUT',
            message: `no reply to '${type}' on ${this.responsesTopic} within ${timeoutMs} ms`,
          }),
        );
      }, timeoutMs);
      this.pending.set(correlationId, { resolve, reject, timer });
    });
    try {
      await this.producer.send({
        topic: this.options.commandsTopic ?? 'mediator-commands',
        messages: [
          {
            value: JSON.stringify({ type, payload }),
            headers: {
              kafka_correlationId: correlationId,
              kafka_replyTopic: this.responsesTopic,
              authorization: `Bearer ${await currentToken(this.options.token)}`,
            },
          },
        ],
      });
    } catch (error) {
      this.settle(correlationId, () => Promise.reject(error));
    }
    return reply as Promise<R>;
  }

  async close(): Promise<void> {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error('the Kafka client was closed'));
      this.pending.delete(id);
    }
    await Promise.all([this.consumer.disconnect(), this.producer.disconnect()]);
  }

  private get responsesTopic(): string {
    return this.options.responsesTopic ?? 'mediator-responses';
  }

  private async start(): Promise<void> {
    await Promise.all([this.producer.connect(), this.consumer.connect()]);
    await this.consumer.subscribe({ topic: this.responsesTopic, fromBeginning: false });
    // Replies to requests sent before the group is joined would be skipped (offsets start at
    // the end): wait for the join.
    const joined = new Promise<void>((resolve) => {
      const off = this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const header = message.headers?.kafka_correlationId;
        const id = header === undefined ? undefined : String(header);
        if (id && this.pending.has(id)) this.answer(id, message.value?.toString() ?? '');
      },
    });
    await joined;
  }

  private answer(id: string, raw: string): void {
    let reply: Reply;
    try {
      reply = JSON.parse(raw) as Reply;
    } catch {
      reply = { ok: false, error: { code: 'INVALID_REPLY', message: 'the reply is not JSON' } };
    }
    this.settle(id, () =>
      reply.ok === true
        ? Promise.resolve(reply.result)
        : Promise.reject(errorFromAnswer(reply.error)),
    );
  }

  private settle(id: string, outcome: () => Promise<unknown>): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    outcome().then(pending.resolve, pending.reject);
  }
}
