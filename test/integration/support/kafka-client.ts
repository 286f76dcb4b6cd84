// A plain kafkajs client of the service's command topic (not Nest's ClientKafka): what any Kafka
// client does — produce to mediator-commands with a kafka_correlationId header, read the reply.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  type Admin,
  type Consumer,
  type IHeaders,
  Kafka,
  logLevel,
  Partitioners,
  type Producer,
} from 'kafkajs';

export interface Topics {
  commands: string;
  responses: string;
  events: string;
  /** An extra topic the service may reply to (message_queue.reply_topics), when asked for. */
  replies?: string;
}

/**
 * Topics of this run's own (message_queue.topics): the broker is shared with other people's
 * services, whose consumer groups on mediator-commands would answer our correlation ids too.
 */
export async function createTopics(
  brokers: string[],
  prefix: string,
  { replies = false } = {},
): Promise<Topics> {
  const run = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const topics: Topics = {
    commands: `${run}-commands`,
    responses: `${run}-responses`,
    events: `${run}-events`,
    ...(replies ? { replies: `${run}-replies` } : {}),
  };
  const admin = new Kafka({
    clientId: 'kafka-it-admin',
    brokers,
    logLevel: logLevel.ERROR,
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: Object.values(topics).map((topic) => ({
        topic,
        numPartitions: 3,
        replicationFactor: 1,
      })),
    });
    await waitForLeaders(admin, Object.values(topics));
  } finally {
    await admin.disconnect();
  }
  return topics;
}

/**
 * kafkajs's own `waitForLeaders` gives up when the broker answers a fresh topic's metadata with
 * UNKNOWN_TOPIC_OR_PARTITION (it happens on the KRaft broker right after creation): ask again.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics });
      if (found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
        return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leaders`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function deleteTopics(brokers: string[], topics: Topics): Promise<void> {
  const admin = new Kafka({
    clientId: 'kafka-it-admin',
    brokers,
    logLevel: logLevel.ERROR,
  }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: Object.values(topics) });
  } finally {
    await admin.disconnect();
  }
}

/** The service's config for these topics (and a consumer group of its own). */
export function kafkaConfig(topics: Topics) {
  return {
    message_queue: {
      group_id: `${topics.commands}-service`,
      topics: { commands: topics.commands, responses: topics.responses, events: topics.events },
      ...(topics.replies ? { reply_topics: [topics.replies] } : {}),
    },
  };
}

export interface CommandReply {
  topic: string;
  partition: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  value: any;
}

export interface SendOptions {
  /** Raw record value (default: the JSON of { type, payload }); null is a tombstone. */
  value?: string | Buffer | null;
  headers?: IHeaders;
  replyPartition?: number;
  /** Set false to send no correlation id. */
  correlationId?: string | false;
  /** The `authorization` header's token (default: the client's); null sends no header. */
  token?: string | null;
  /** Sent as kafka_replyTopic. */
  replyTopic?: string;
  partition?: number;
}

export class CommandClient {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly consumer: Consumer;
  private readonly waiting = new Map<string, (reply: CommandReply) => void>();
  private readonly replies = new Map<string, CommandReply>();

  /** `token` goes into every command's `authorization: Bearer` header unless a send says otherwise. */
  constructor(
    brokers: string[],
    readonly topics: Topics,
    private readonly token: string,
  ) {
    this.kafka = new Kafka({
      clientId: `kafka-it-${process.pid}`,
      brokers,
      logLevel: logLevel.ERROR,
    });
    this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    this.consumer = this.kafka.consumer({
      groupId: `kafka-it-${randomUUID()}`,
      maxWaitTimeInMs: 50,
    });
  }

  /** Connects, and returns once a command has made the full round trip (both groups are placed). */
  /** Connects, then waits until the service answers (a consumer group may still be rejoining). */
  async start(readyTimeoutMs = 30_000): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    const replyTopics = [
      this.topics.responses,
      ...(this.topics.replies ? [this.topics.replies] : []),
    ];
    await this.consumer.subscribe({ topics: replyTopics, fromBeginning: false });
    await this.consumer.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        const id = headers.kafka_correlationId;
        if (!id) return;
        const raw = message.value?.toString() ?? 'null';
        const reply = { topic, partition, headers, value: JSON.parse(raw) };
        const resolve = this.waiting.get(id);
        if (resolve) resolve(reply);
        else this.replies.set(id, reply);
      },
    });
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      try {
        await this.command('list_mediators', { limit: 1 }, {}, 1000);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  /** Sends a record to mediator-commands and resolves with the reply of the same correlation id. */
  async command(
    type: string,
    payload?: unknown,
    options: SendOptions = {},
    timeoutMs = 10_000,
  ): Promise<CommandReply> {
    const id =
      options.correlationId === false ? undefined : (options.correlationId ?? randomUUID());
    const reply = id ? this.reply(id, timeoutMs) : Promise.resolve(undefined);
    await this.send(type, payload, { ...options, correlationId: id ?? false });
    return (await reply)!;
  }

  async send(type: string, payload: unknown, options: SendOptions = {}): Promise<void> {
    const headers: IHeaders = { ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (options.correlationId) headers.kafka_correlationId = options.correlationId;
    if (options.replyTopic !== undefined) headers.kafka_replyTopic = options.replyTopic;
    if (options.replyPartition !== undefined)
      headers.kafka_replyPartition = String(options.replyPartition);
    const value = 'value' in options ? options.value! : JSON.stringify({ type, payload });
    await this.producer.send({
      topic: this.topics.commands,
      messages: [
        {
          value,
          headers,
          ...(options.partition !== undefined ? { partition: options.partition } : {}),
        },
      ],
    });
  }

  /** The reply for a correlation id (also when it came before this call). */
  reply(id: string, timeoutMs = 10_000): Promise<CommandReply> {
    const early = this.replies.get(id);
    if (early) return Promise.resolve(early);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no reply for correlation id ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(reply);
      });
    });
  }
}

/** Parsed Prometheus counter value for exact labels (0 when absent). */
export function counterValue(
  metrics: string,
  name: string,
  labels: Record<string, string>,
): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    const parts = inside.split(',');
    if (wanted.every((w) => parts.includes(w)) && parts.length === wanted.length)
      return Number(line.slice(line.indexOf('}') + 1).trim());
  }
  return 0;
}

/** Records of a topic written since `sinceMs`, read with kcat (a client that is not kafkajs). */
export async function kcatRead(
  broker: string,
  topic: string,
  sinceMs: number,
): Promise<{ key: string; headers: string; value: string }[]> {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      'kcat',
      ['-C', '-b', broker, '-t', topic, '-o', `s@${sinceMs}`, '-e', '-q', '-f', '%k\t%h\t%s\n'],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, out) => (error ? reject(error) : resolve(out)),
    ),
  );
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [key, headers, ...value] = line.split('\t');
      return { key, headers, value: value.join('\t') };
    });
}
