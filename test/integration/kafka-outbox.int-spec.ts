// Lifecycle events reach mediator-events through the transactional outbox even when Kafka is down
// at the time of the change (CONTRACT §6, DESIGN rule 4). Stops and restarts the local broker with
// deploy/local/{down,up}.sh kafka, so it needs that broker (eval "$(deploy/local/up.sh kafka)").
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type RunningService, ROOT, startService } from '../support/service';
import { adminToken } from '../support/tokens';
import {
  CommandClient,
  createTopics,
  deleteTopics,
  kafkaConfig,
  kcatRead,
  type Topics,
} from './support/kafka-client';
import { kafkaServer } from './support/servers';

const script = (name: string, ...args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile(
      join(ROOT, 'deploy', 'local', name),
      args,
      { timeout: 300_000 },
      (error, _out, stderr) =>
        error
          ? reject(new Error(`${name} ${args.join(' ')} failed: ${error.message}\n${stderr}`))
          : resolve(),
    ),
  );

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Outbox → mediator-events across a Kafka outage', () => {
  let brokers: string[];
  let topics: Topics;
  let service: RunningService;
  const token = adminToken('kafka-outbox-it');

  const createMediator = async (name: string, via: RunningService = service) => {
    const res = await fetch(`${via.url}/api/v1/mediators`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(201);
  };
  const eventsFor = async (name: string, since: number) =>
    (await kcatRead(brokers[0], topics.events, since)).filter((r) => r.key === name);
  const metric = async (name: string) => {
    const text = await (await fetch(`${service.metricsUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.split(' ')[1]);
  };

  beforeAll(async () => {
    ({ brokers } = await kafkaServer());
    topics = await createTopics(brokers, 'kafka-outbox-it');
    service = await startService({
      config: kafkaConfig(topics),
      env: { KAFKA_BROKERS: brokers.join(',') },
    });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    // Leave the broker up for whoever runs next, whatever happened above.
    await script('up.sh', 'kafka');
    if (topics) await deleteTopics(brokers, topics);
  }, 300_000);

  it('publishes each event with key = mediator and the Socket.IO payload', async () => {
    const since = Date.now() - 1000;
    const name = `outbox-${randomUUID().slice(0, 8)}`;
    await createMediator(name);
    const [record] = await until('mediator_created on the events topic', 10_000, async () => {
      const found = await eventsFor(name, since);
      return found.length > 0 ? found : undefined;
    });
    expect(record.headers).toBe('event=mediator_created');
    expect(JSON.parse(record.value)).toEqual({
      id: expect.any(String),
      event: 'mediator_created',
      mediator: name,
      data: expect.objectContaining({ name }),
      timestamp: expect.any(String),
    });
  });

  it('publishes each event once when two instances share the outbox (relay lease)', async () => {
    const second = await startService({
      config: kafkaConfig(topics),
      sqlitePath: service.sqlitePath,
      env: { KAFKA_BROKERS: brokers.join(',') },
    });
    try {
      const since = Date.now() - 1000;
      const names = Array.from({ length: 10 }, (_, i) => `lease-${i}-${randomUUID().slice(0, 6)}`);
      for (const [i, name] of names.entries()) await createMediator(name, i % 2 ? second : service);
      const records = await until('all 10 events', 20_000, async () => {
        const found = (await kcatRead(brokers[0], topics.events, since)).filter((r) =>
          names.includes(r.key),
        );
        return new Set(found.map((r) => r.key)).size === names.length ? found : undefined;
      });
      await new Promise((r) => setTimeout(r, 1500));
      const again = (await kcatRead(brokers[0], topics.events, since)).filter((r) =>
        names.includes(r.key),
      );
      expect(again).toHaveLength(records.length);
      expect(again.map((r) => r.key).sort()).toEqual([...names].sort());
    } finally {
      await second.stop();
    }
  }, 90_000);

  it('keeps a change made while Kafka is down in the outbox and publishes it once Kafka is back', async () => {
    const since = Date.now() - 1000;
    const name = `outage-${randomUUID().slice(0, 8)}`;
    await script('down.sh', 'kafka');
    try {
      await createMediator(name);
      // The change is committed (REST answers from the database); its event waits in the outbox.
      expect(
        (
          await fetch(`${service.url}/api/v1/mediators/${name}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).status,
      ).toBe(200);
      await until('mediator_outbox_pending > 0', 15_000, async () =>
        (await metric('mediator_outbox_pending'))! > 0 ? true : undefined,
      );
      const health = await fetch(`${service.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ error: { kafka: { status: 'down' } } });
    } finally {
      const startedAt = Date.now();
      await script('up.sh', 'kafka');
      const upAt = Date.now();
      const records = await until('the mediator_created of the outage', 120_000, async () => {
        const found = await eventsFor(name, since);
        return found.length > 0 ? found : undefined;
      });
      const arrivedAt = Date.now();
      process.stdout.write(
        `outbox recovery: broker start ${upAt - startedAt} ms, then event on ${topics.events} after ` +
          `${arrivedAt - upAt} ms (total ${arrivedAt - startedAt} ms); copies: ${records.length}\n`,
      );
      expect(JSON.parse(records[0].value)).toMatchObject({
        event: 'mediator_created',
        mediator: name,
      });
    }
    await until('mediator_outbox_pending = 0', 15_000, async () =>
      (await metric('mediator_outbox_pending')) === 0 ? true : undefined,
    );

    // The command consumer came back too, and health is green again.
    const client = new CommandClient(brokers, topics, token);
    // The command consumer rejoins its group after the broker restart: allow for the session timeout.
    await client.start(90_000);
    try {
      const reply = await client.command('get_mediator', { mediator: name });
      expect(reply.value).toMatchObject({ ok: true, result: { name } });
    } finally {
      await client.stop();
    }
    await until('health 200', 30_000, async () =>
      (await fetch(`${service.url}/health`)).status === 200 ? true : undefined,
    );
  }, 300_000);
});
