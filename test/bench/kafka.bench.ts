/**
 * Kafka request/reply latency through the service against a raw kafkajs round trip on the same
 * broker (CONTRACT §6, issue 3). Needs the built service (`npm run build`) and a broker:
 *   eval "$(deploy/local/up.sh kafka)"
 *   npx ts-node -r tsconfig-paths/register --transpile-only test/bench/kafka.bench.ts   (or: npm run bench -- kafka)
 * Env: KAFKA_BROKERS (default 127.0.0.1:9092), BENCH_REQUESTS (default 2000), BENCH_WARMUP (200).
 *
 * - service:  client → commands topic → the service (get_mediator: validate, SQLite/cache read,
 *             map) → responses topic → client; sequential, one request in flight.
 * - baseline: client → topic A → a bare kafkajs consumer that produces the value back → topic B →
 *             client: the same two hops with the same consumer settings (maxWaitTimeInMs 50), and
 *             no service in between.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startService } from '../support/service';
import { adminToken } from '../support/tokens';
import { buildOnce } from './support/processes';
import { newSection, writeSection } from './support/results';
import {
  CommandClient,
  createTopics,
  deleteTopics,
  kafkaConfig,
  type Topics,
} from '../integration/support/kafka-client';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);

interface Stats {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1]),
    mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
  };
}

async function measure(n: number, once: () => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await once();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

async function benchService(topics: Topics): Promise<Stats> {
  const service = await startService({
    config: kafkaConfig(topics),
    env: { KAFKA_BROKERS: brokers.join(','), LOG_LEVEL: 'error' },
  });
  const client = new CommandClient(brokers, topics, adminToken('kafka-bench'));
  try {
    await client.start();
    const created = await client.command('create_mediator', { name: 'bench' });
    if (!created.value.ok)
      throw new Error(`create_mediator failed: ${JSON.stringify(created.value)}`);
    const once = async () => {
      const reply = await client.command('get_mediator', { mediator: 'bench' });
      if (!reply.value.ok) throw new Error(`get_mediator failed: ${JSON.stringify(reply.value)}`);
    };
    await measure(WARMUP, once);
    return stats(await measure(REQUESTS, once));
  } finally {
    await client.stop();
    await service.stop();
  }
}

/** The same two hops as request/reply, with an echo consumer instead of the service. */
async function benchBaseline(topics: Topics): Promise<Stats> {
  const kafka = new Kafka({ clientId: 'bench-baseline', brokers, logLevel: logLevel.ERROR });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const echoProducer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const echo = kafka.consumer({ groupId: `bench-echo-${randomUUID()}`, maxWaitTimeInMs: 50 });
  const client = kafka.consumer({ groupId: `bench-client-${randomUUID()}`, maxWaitTimeInMs: 50 });
  const waiting = new Map<string, () => void>();
  await Promise.all([producer.connect(), echoProducer.connect(), echo.connect(), client.connect()]);
  try {
    await echo.subscribe({ topics: [topics.commands] });
    await client.subscribe({ topics: [topics.responses] });
    await echo.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ message }) => {
        await echoProducer.send({
          topic: topics.responses,
          messages: [{ value: message.value, headers: message.headers }],
        });
      },
    });
    await client.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ message }) => {
        const id = String(message.headers?.id ?? '');
        waiting.get(id)?.();
      },
    });
    const once = async () => {
      const id = randomUUID();
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('baseline round trip timed out')), 10_000);
        waiting.set(id, () => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve();
        });
      });
      await producer.send({
        topic: topics.commands,
        messages: [
          {
            value: JSON.stringify({ type: 'get_mediator', payload: { mediator: 'bench' } }),
            headers: { id },
          },
        ],
      });
      await done;
    };
    // Both groups are placed once a round trip succeeds.
    for (let ok = false; !ok; )
      ok = await once().then(
        () => true,
        () => false,
      );
    await measure(WARMUP, once);
    return stats(await measure(REQUESTS, once));
  } finally {
    await Promise.all([
      echo.disconnect(),
      client.disconnect(),
      producer.disconnect(),
      echoProducer.disconnect(),
    ]);
  }
}

async function main(): Promise<void> {
  buildOnce();
  const section = newSection('kafka');
  const serviceTopics = await createTopics(brokers, 'bench-service');
  const baselineTopics = await createTopics(brokers, 'bench-baseline');
  try {
    process.stdout.write(
      `Kafka request/reply, ${REQUESTS} sequential requests after ${WARMUP} warm-up, brokers ${brokers.join(',')}\n\n`,
    );
    const baseline = await benchBaseline(baselineTopics);
    const service = await benchService(serviceTopics);
    section.settings = { requests: REQUESTS, warmup: WARMUP, brokers };
    section.extra = { rawKafkajs: baseline, service, unit: 'ms, sequential round trips' };
    writeSection(section);
    const row = (name: string, s: Stats) =>
      `| ${name} | ${s.count} | ${s.mean} | ${s.p50} | ${s.p90} | ${s.p99} | ${s.max} |`;
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    process.stdout.write(
      [
        '| run | requests | mean ms | p50 ms | p90 ms | p99 ms | max ms |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        row('raw kafkajs round trip (echo consumer)', baseline),
        row('service get_mediator request/reply', service),
        '',
        `service / baseline: mean ${ratio(service.mean, baseline.mean)}, p50 ${ratio(service.p50, baseline.p50)}, ` +
          `p99 ${ratio(service.p99, baseline.p99)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await deleteTopics(brokers, serviceTopics).catch(() => undefined);
    await deleteTopics(brokers, baselineTopics).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
