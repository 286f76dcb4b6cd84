// Kafka request/reply against a real broker (CONTRACT §6): the built service as a child process,
// driven by a plain kafkajs client and by kcat. Needs KAFKA_BROKERS (eval "$(deploy/local/up.sh kafka)").
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { type RunningService, startService } from '../support/service';
import { adminToken } from '../support/tokens';
import {
  CommandClient,
  counterValue,
  createTopics,
  deleteTopics,
  kafkaConfig,
  type Topics,
} from './support/kafka-client';
import { kafkaServer } from './support/servers';

const run = promisify(execFile);

describe('Kafka commands (mediator-commands → mediator-responses)', () => {
  let brokers: string[];
  let topics: Topics;
  let service: RunningService;
  let client: CommandClient;
  const token = adminToken('kafka-it');

  const rest = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const ok = async (type: string, payload: unknown) => {
    const reply = await client.command(type, payload);
    expect(reply.value).toMatchObject({ ok: true });
    return reply.value.result;
  };
  const failure = async (type: string, payload: unknown) => {
    const reply = await client.command(type, payload);
    expect(reply.value.ok).toBe(false);
    return reply.value.error as { code: string; message: string };
  };

  beforeAll(async () => {
    ({ brokers } = await kafkaServer());
    topics = await createTopics(brokers, 'kafka-it');
    service = await startService({
      config: kafkaConfig(topics),
      env: { KAFKA_BROKERS: brokers.join(',') },
    });
    client = new CommandClient(brokers, topics, token);
    await client.start();
  }, 60_000);

  afterAll(async () => {
    await client?.stop();
    await service?.stop();
    if (topics) await deleteTopics(brokers, topics);
  });

  it('answers with the request correlation id, in the header and in the value', async () => {
    const id = `corr-${randomUUID()}`;
    const reply = await client.command('list_mediators', {}, { correlationId: id });
    expect(reply.headers.kafka_correlationId).toBe(id);
    expect(reply.value).toEqual({
      correlation_id: id,
      ok: true,
      result: { items: expect.any(Array), next_cursor: null },
    });
  });

  it('runs every operation with the REST wire objects', async () => {
    const m = `kafka-${randomUUID().slice(0, 8)}`;
    const created = await ok('create_mediator', {
      name: m,
      description: 'over Kafka',
      max_colleagues: 10,
    });
    expect(created).toEqual({
      name: m,
      description: 'over Kafka',
      max_colleagues: 10,
      colleague_count: 0,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(await ok('get_mediator', { mediator: m })).toEqual(
      (await rest('GET', `/api/v1/mediators/${m}`)).body,
    );
    const page = await ok('list_mediators', { limit: 500 });
    expect(page.items.map((x: { name: string }) => x.name)).toContain(m);
    expect(await ok('update_mediator', { mediator: m, description: 'changed' })).toMatchObject({
      name: m,
      description: 'changed',
      max_colleagues: 10,
    });

    for (const [id, type] of [
      ['a', 'service'],
      ['b', 'task'],
      ['c', 'service'],
    ]) {
      const registered = await ok('register_colleague', {
        mediator: m,
        id,
        name: `Colleague ${id}`,
        type,
        handles: ['ping'],
        metadata: { n: id },
      });
      expect(registered).toMatchObject({
        id,
        active: true,
        online: false,
        handles: ['ping'],
        metadata: { n: id },
      });
    }
    expect(await ok('get_colleague', { mediator: m, id: 'b' })).toEqual(
      (await rest('GET', `/api/v1/mediators/${m}/colleagues/b`)).body,
    );
    const services = await ok('list_colleagues', { mediator: m, type: 'service' });
    expect(services.items.map((c: { id: string }) => c.id)).toEqual(['a', 'c']);
    expect(await ok('update_colleague', { mediator: m, id: 'c', active: false })).toMatchObject({
      id: 'c',
      active: false,
    });

    const sent = await ok('send_message', {
      mediator: m,
      sender_id: 'a',
      recipient_id: 'b',
      message: { order: 42 },
      type: 'charge',
      headers: { trace: 't1' },
    });
    expect(sent).toMatchObject({
      mediator: m,
      sender_id: 'a',
      recipient_id: 'b',
      payload: { order: 42 },
      type: 'charge',
    });
    const status = await ok('get_message', { mediator: m, message_id: sent.id });
    expect(status).toMatchObject({
      id: sent.id,
      recipients: [{ recipient_id: 'b', status: expect.any(String) }],
    });
    const inbox = await ok('list_inbox', { mediator: m, colleague_id: 'b' });
    expect(inbox.items.map((e: { id: string }) => e.id)).toEqual([sent.id]);
    // The colleague may also be named as in the REST path (`id`) or as in the envelope.
    expect((await ok('list_inbox', { mediator: m, id: 'b' })).items).toHaveLength(1);
    expect((await ok('list_inbox', { mediator: m, recipient_id: 'b' })).items).toHaveLength(1);
    expect((await failure('list_inbox', { mediator: m })).code).toBe('VALIDATION_FAILED');
    // b is offline: the redelivery puts its delivery back to pending for its next connect.
    expect(await ok('redeliver_message', { mediator: m, message_id: sent.id })).toMatchObject({
      id: sent.id,
      recipients: [{ recipient_id: 'b', status: 'pending' }],
    });
    expect(
      await ok('ack_message', { mediator: m, colleague_id: 'b', message_id: sent.id }),
    ).toBeNull();
    expect((await failure('redeliver_message', { mediator: m, message_id: sent.id })).code).toBe(
      'INVALID_STATE',
    );
    expect(
      (await rest('GET', `/api/v1/mediators/${m}/messages/${sent.id}`)).body.recipients[0].status,
    ).toBe('acked');

    // c is inactive: the broadcast reaches b only.
    const broadcast = await ok('broadcast_message', {
      mediator: m,
      sender_id: 'a',
      message: 'hello all',
    });
    expect(broadcast).toMatchObject({ recipient_id: null, payload: 'hello all', recipients: 1 });

    expect(await ok('unregister_colleague', { mediator: m, id: 'a' })).toBeNull();
    expect((await rest('GET', `/api/v1/mediators/${m}/colleagues/a`)).status).toBe(404);
    expect(await ok('remove_mediator', { mediator: m })).toBeNull();
    expect((await rest('GET', `/api/v1/mediators/${m}`)).status).toBe(404);

    // Every state change was audited as transport kafka, with the token's subject as actor.
    const audit = await rest('GET', `/api/v1/audit?mediator=${m}&limit=100`);
    const actions = audit.body.items
      .filter(
        (e: { transport: string; actor: string }) =>
          e.transport === 'kafka' && e.actor === 'kafka-it',
      )
      .map((e: { action: string }) => e.action);
    expect(actions.sort()).toEqual(
      [
        'create_mediator',
        'update_mediator',
        'register_colleague',
        'register_colleague',
        'register_colleague',
        'update_colleague',
        'send_message',
        'redeliver_message',
        'redeliver_message',
        'ack_message',
        'broadcast_message',
        'unregister_colleague',
        'remove_mediator',
      ].sort(),
    );
  });

  it('answers errors with the REST codes', async () => {
    const m = `kafka-${randomUUID().slice(0, 8)}`;
    expect(await failure('get_mediator', { mediator: 'no-such-mediator' })).toEqual({
      code: 'MEDIATOR_NOT_FOUND',
      message: "mediator 'no-such-mediator' does not exist",
    });
    await ok('create_mediator', { name: m, max_colleagues: 2 });
    expect((await failure('create_mediator', { name: m })).code).toBe('MEDIATOR_EXISTS');
    expect(
      (await failure('update_mediator', { mediator: 'no-such-mediator', description: 'x' })).code,
    ).toBe('MEDIATOR_NOT_FOUND');
    expect((await failure('remove_mediator', { mediator: 'no-such-mediator' })).code).toBe(
      'MEDIATOR_NOT_FOUND',
    );
    expect((await failure('get_colleague', { mediator: m, id: 'nobody' })).code).toBe(
      'COLLEAGUE_NOT_FOUND',
    );
    expect((await failure('unregister_colleague', { mediator: m, id: 'nobody' })).code).toBe(
      'COLLEAGUE_NOT_FOUND',
    );
    expect((await failure('list_colleagues', { mediator: 'no-such-mediator' })).code).toBe(
      'MEDIATOR_NOT_FOUND',
    );
    await ok('register_colleague', { mediator: m, id: 'a', name: 'A', type: 'service' });
    expect(
      (await failure('register_colleague', { mediator: m, id: 'a', name: 'A', type: 'service' }))
        .code,
    ).toBe('COLLEAGUE_EXISTS');
    await ok('register_colleague', { mediator: m, id: 'b', name: 'B', type: 'service' });
    expect(
      (await failure('register_colleague', { mediator: m, id: 'c', name: 'C', type: 'service' }))
        .code,
    ).toBe('MAX_COLLEAGUES_REACHED');
    expect(
      (
        await failure('send_message', {
          mediator: m,
          sender_id: 'a',
          recipient_id: 'ghost',
          message: 1,
        })
      ).code,
    ).toBe('COLLEAGUE_NOT_FOUND');
    expect((await failure('get_message', { mediator: m, message_id: randomUUID() })).code).toBe(
      'MESSAGE_NOT_FOUND',
    );
    expect(
      (await failure('ack_message', { mediator: m, colleague_id: 'a', message_id: randomUUID() }))
        .code,
    ).toBe('MESSAGE_NOT_FOUND');

    const invalid = await client.command('create_mediator', { name: 'bad name!', extra: 1 });
    expect(invalid.value).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        details: expect.arrayContaining([
          expect.objectContaining({ field: 'name' }),
          expect.objectContaining({ field: 'extra' }),
        ]),
      },
    });
    expect((await failure('update_mediator', { mediator: m, max_colleagues: 'many' })).code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (
        await failure('send_message', {
          mediator: m,
          sender_id: 'a',
          recipient_id: 'a' /* no message */,
        })
      ).code,
    ).toBe('VALIDATION_FAILED');
    expect(await failure('get_mediator', undefined)).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'the command has no payload',
    });
    expect(await failure('drop_database', {})).toEqual({
      code: 'UNKNOWN_OPERATION',
      message: "'drop_database' is not an operation of mediator-commands",
    });
  });

  it('answers malformed records (not JSON, not a command, tombstone) and keeps consuming', async () => {
    const before = await (await fetch(`${service.metricsUrl}/metrics`)).text();
    const cases: [string, string | Buffer | null, string][] = [
      ['not JSON', '{"type": "get_mediator", oops', 'INVALID_JSON'],
      ['plain text', 'hello', 'INVALID_JSON'],
      ['binary', Buffer.from([0, 1, 2, 3]), 'INVALID_JSON'],
      ['a JSON array', '[1,2,3]', 'VALIDATION_FAILED'],
      ['a JSON number', '42', 'VALIDATION_FAILED'],
      ['no type', '{"payload":{}}', 'VALIDATION_FAILED'],
      ['an extra field', '{"type":"list_mediators","payload":{},"x":1}', 'VALIDATION_FAILED'],
      ['no value', null, 'VALIDATION_FAILED'],
    ];
    for (const [what, value, code] of cases) {
      const reply = await client.command('', undefined, { value });
      expect([what, reply.value.ok, reply.value.error.code]).toEqual([what, false, code]);
    }
    // Without a correlation id there is nobody to answer: skipped, and the consumer goes on.
    await client.send('', undefined, { value: 'garbage without correlation id' });
    await client.send('get_mediator', { mediator: 'x' }, {});
    expect((await client.command('list_mediators', {})).value.ok).toBe(true);

    const after = await (await fetch(`${service.metricsUrl}/metrics`)).text();
    const labels = { type: 'unknown', outcome: 'error' };
    expect(
      counterValue(after, 'mediator_kafka_commands_total', labels) -
        counterValue(before, 'mediator_kafka_commands_total', labels),
    ).toBe(cases.length + 1);
    expect(
      counterValue(after, 'mediator_kafka_commands_total', {
        type: 'list_mediators',
        outcome: 'ok',
      }),
    ).toBeGreaterThan(0);
  });

  it('honours kafka_replyPartition', async () => {
    for (const partition of [2, 0, 1, 2]) {
      const reply = await client.command(
        'list_mediators',
        { limit: 1 },
        { replyPartition: partition },
      );
      expect([reply.partition, reply.value.ok]).toEqual([partition, true]);
    }
  });

  it('answers a client that is not NestJS (kcat) on the responses topic', async () => {
    const m = `kcat-${randomUUID().slice(0, 8)}`;
    const id = `kcat-${randomUUID()}`;
    const since = Date.now() - 1000;
    const broker = brokers[0];
    await new Promise<void>((resolve, reject) => {
      const child = execFile(
        'kcat',
        [
          ...['-P', '-b', broker, '-t', topics.commands],
          ...['-H', `kafka_correlationId=${id}`, '-H', `authorization=Bearer ${token}`],
        ],
        (error) => (error ? reject(error) : resolve()),
      );
      child.stdin!.end(`${JSON.stringify({ type: 'create_mediator', payload: { name: m } })}\n`);
    });
    let line: string | undefined;
    for (let attempt = 0; attempt < 50 && !line; attempt++) {
      const { stdout } = await run('kcat', [
        '-C',
        '-b',
        broker,
        '-t',
        topics.responses,
        '-o',
        `s@${since}`,
        '-e',
        '-q',
        '-f',
        '%h\t%s\n',
      ]);
      line = stdout.split('\n').find((l) => l.includes(`kafka_correlationId=${id}`));
      if (!line) await new Promise((r) => setTimeout(r, 200));
    }
    expect(line).toBeDefined();
    const [headers, value] = line!.split('\t');
    expect(headers).toContain(`kafka_correlationId=${id}`);
    expect(JSON.parse(value)).toMatchObject({
      correlation_id: id,
      ok: true,
      result: { name: m, colleague_count: 0 },
    });
    expect((await rest('GET', `/api/v1/mediators/${m}`)).status).toBe(200);
  });

  it('reports kafka in the health check', async () => {
    const health = (await (await fetch(`${service.url}/health`)).json()) as {
      details: Record<string, unknown>;
    };
    expect(health.details.kafka).toEqual({ status: 'up' });
  });
});
