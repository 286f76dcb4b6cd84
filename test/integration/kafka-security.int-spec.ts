// Kafka commands are authenticated, authorised, rate limited and audited like REST (issue 14, item
// 2), replies go only to allowed topics, and the service logs in to a SASL listener. Real broker:
// eval "$(deploy/local/up.sh kafka)" (which also opens the SASL/PLAIN listener) and `npm run build`.
import { randomUUID } from 'node:crypto';
import { type RunningService, startService } from '../support/service';
import { adminToken, ALL_SCOPES, colleagueToken, token } from '../support/tokens';
import {
  CommandClient,
  createTopics,
  deleteTopics,
  kafkaConfig,
  kcatRead,
  type Topics,
} from './support/kafka-client';
import { kafkaSaslListener, kafkaServer } from './support/servers';

const RATE_LIMIT = 25;

describe('Kafka command security', () => {
  let brokers: string[];
  let topics: Topics;
  let service: RunningService;
  let client: CommandClient;
  // Every test mints its own subjects: each subject has its own rate-limit budget.
  const subject = (what: string) => `kafka-sec-${what}-${randomUUID().slice(0, 6)}`;
  const admin = adminToken(subject('setup'));

  const rest = async (path: string) => {
    const res = await fetch(`${service.url}/api/v1${path}`, {
      headers: { authorization: `Bearer ${adminToken(subject('rest'))}` },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: (await res.json()) as any };
  };
  const code = async (type: string, payload: unknown, as: string | null) => {
    const reply = await client.command(type, payload, { token: as });
    return reply.value.ok ? 'ok' : reply.value.error.code;
  };
  const auditOf = async (query: string) =>
    (await rest(`/audit?limit=500&${query}`)).body.items as {
      actor: string;
      transport: string;
      action: string;
      outcome: string;
      mediator: string | null;
      details: Record<string, unknown>;
    }[];

  /** Mediator `m` with colleagues a and b, created by the admin token. */
  const world = async () => {
    const m = `sec-${randomUUID().slice(0, 8)}`;
    expect(await code('create_mediator', { name: m }, admin)).toBe('ok');
    for (const id of ['a', 'b'])
      expect(
        await code('register_colleague', { mediator: m, id, name: id, type: 'service' }, admin),
      ).toBe('ok');
    return m;
  };

  beforeAll(async () => {
    ({ brokers } = await kafkaServer());
    topics = await createTopics(brokers, 'kafka-sec', { replies: true });
    service = await startService({
      config: { ...kafkaConfig(topics), security: { rate_limit_requests: RATE_LIMIT } },
      env: { KAFKA_BROKERS: brokers.join(',') },
    });
    // The readiness probes of start() spend the budget of a subject of their own.
    client = new CommandClient(brokers, topics, adminToken(subject('probe')));
    await client.start();
  }, 60_000);

  afterAll(async () => {
    await client?.stop();
    await service?.stop();
    if (topics) await deleteTopics(brokers, topics);
  });

  it('refuses a command without a valid token (UNAUTHORIZED), not executed, counted in one audit row', async () => {
    const m = `anon-${randomUUID().slice(0, 8)}`;
    // The audit table outlives a run on the shared servers: count only this test's rows.
    const since = new Date(Date.now() - 1000).toISOString();
    const expired = token({ sub: 'x', scope: 'admin' }, -60);
    const forged = token({ sub: 'x', scope: 'admin' }, 3600, 'another-secret-of-32-characters!!');
    for (const as of [null, expired, forged])
      expect(await code('create_mediator', { name: m }, as)).toBe('UNAUTHORIZED');
    // A bare token without the Bearer scheme is refused too.
    const bare = await client.command(
      'create_mediator',
      { name: m },
      { token: null, headers: { authorization: admin } },
    );
    expect(bare.value.error.code).toBe('UNAUTHORIZED');

    expect((await rest(`/mediators/${m}`)).status).toBe(404);
    const denials = (await auditOf(`action=create_mediator&since=${since}`)).filter(
      (e) => e.transport === 'kafka' && e.actor === 'anonymous',
    );
    expect(denials).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        details: expect.objectContaining({ count: 4 }),
      }),
    ]);
  });

  it('refuses a token bound to another mediator (MEDIATOR_FORBIDDEN)', async () => {
    const [alpha, beta] = [await world(), await world()];
    const bound = token({ sub: subject('bound'), scope: 'admin', mediator: alpha });
    const reader = token({
      sub: subject('bound-reader'),
      scope: 'mediators:read mediators:write colleagues:write messages:send messages:read',
      mediator: alpha,
    });
    expect(await code('get_mediator', { mediator: alpha }, reader)).toBe('ok');
    for (const [type, payload] of [
      ['get_mediator', { mediator: beta }],
      ['remove_mediator', { mediator: beta }],
      ['list_inbox', { mediator: beta, colleague_id: 'a' }],
      ['send_message', { mediator: beta, sender_id: 'a', recipient_id: 'b', message: 1 }],
      ['unregister_colleague', { mediator: beta, id: 'b' }],
    ] as const)
      expect([type, await code(type, payload, reader)]).toEqual([type, 'MEDIATOR_FORBIDDEN']);
    // An admin token is never bound (as in REST).
    expect(await code('get_mediator', { mediator: beta }, bound)).toBe('ok');

    // A bound token creates no mediators and lists only its own.
    expect(await code('create_mediator', { name: `x-${randomUUID().slice(0, 8)}` }, reader)).toBe(
      'MEDIATOR_FORBIDDEN',
    );
    const listed = await client.command('list_mediators', { limit: 500 }, { token: reader });
    expect(listed.value.result.items.map((x: { name: string }) => x.name)).toEqual([alpha]);
    expect((await rest(`/mediators/${beta}`)).status).toBe(200);
  });

  it('refuses a colleague token acting as another colleague (COLLEAGUE_FORBIDDEN)', async () => {
    const m = await world();
    const asA = colleagueToken(m, 'a', ALL_SCOPES);
    const sent = await client.command(
      'send_message',
      { mediator: m, sender_id: 'a', recipient_id: 'b', message: { n: 1 } },
      { token: asA },
    );
    expect(sent.value.ok).toBe(true);
    for (const [type, payload] of [
      ['send_message', { mediator: m, sender_id: 'b', recipient_id: 'a', message: 1 }],
      ['broadcast_message', { mediator: m, sender_id: 'b', message: 1 }],
      ['publish_event', { mediator: m, sender_id: 'b', type: 'x.y', data: {} }],
      ['list_inbox', { mediator: m, colleague_id: 'b' }],
      ['ack_message', { mediator: m, colleague_id: 'b', message_id: sent.value.result.id }],
      ['claim_task', { mediator: m, worker_id: 'b' }],
      // Changing another colleague, or cancelling a workflow (the mediator's, not one colleague's).
      ['update_colleague', { mediator: m, id: 'b', active: false }],
      ['unregister_colleague', { mediator: m, id: 'b' }],
      ['cancel_workflow', { mediator: m, id: 'any-workflow' }],
    ] as const)
      expect([type, await code(type, payload, asA)]).toEqual([type, 'COLLEAGUE_FORBIDDEN']);
    expect(await code('list_inbox', { mediator: m, colleague_id: 'a' }, asA)).toBe('ok');
    // The refused ack did nothing.
    const status = await rest(`/mediators/${m}/messages/${sent.value.result.id}`);
    expect(status.body.recipients[0].status).not.toBe('acked');
  });

  it('refuses a token without the scope of the REST route (INSUFFICIENT_SCOPE)', async () => {
    const m = await world();
    const reader = token({ sub: subject('reader'), scope: 'mediators:read' });
    expect(await code('get_mediator', { mediator: m }, reader)).toBe('ok');
    for (const [type, payload] of [
      ['create_mediator', { name: `x-${randomUUID().slice(0, 8)}` }],
      ['remove_mediator', { mediator: m }],
      ['register_colleague', { mediator: m, id: 'c', name: 'c', type: 'service' }],
      ['send_message', { mediator: m, sender_id: 'a', recipient_id: 'b', message: 1 }],
      ['list_inbox', { mediator: m, colleague_id: 'a' }],
      ['submit_task', { mediator: m, name: 't', type: 'x' }],
      ['schedule_job', { mediator: m, job: 'j', type: 'x', schedule: '* * * * *' }],
    ] as const)
      expect([type, await code(type, payload, reader)]).toEqual([type, 'INSUFFICIENT_SCOPE']);
    expect((await rest(`/mediators/${m}`)).status).toBe(200);
  });

  it('asks every operation for the scope of its REST route', async () => {
    const scopeOf: Record<string, string> = {
      ...Object.fromEntries(
        ['get_mediator', 'list_mediators', 'get_colleague', 'list_colleagues'].map((t) => [
          t,
          'mediators:read',
        ]),
      ),
      ...Object.fromEntries(
        [
          ...['create_mediator', 'update_mediator', 'remove_mediator', 'register_service'],
          ...['schedule_job', 'pause_job', 'resume_job'],
        ].map((t) => [t, 'mediators:write']),
      ),
      ...Object.fromEntries(
        ['register_colleague', 'update_colleague', 'unregister_colleague'].map((t) => [
          t,
          'colleagues:write',
        ]),
      ),
      ...Object.fromEntries(
        [
          ...['send_message', 'broadcast_message', 'publish_event', 'execute_command'],
          ...['execute_query', 'reply_message', 'send_notification', 'start_workflow'],
          ...['cancel_workflow', 'heartbeat', 'acquire_resource', 'release_resource'],
          ...['submit_task', 'claim_task', 'complete_task', 'fail_task', 'redeliver_message'],
        ].map((t) => [t, 'messages:send']),
      ),
      ...Object.fromEntries(
        [
          ...['get_message', 'list_inbox', 'ack_message', 'get_notification', 'get_workflow'],
          ...['list_services', 'list_workflows', 'list_jobs', 'list_resources'],
        ].map((t) => [t, 'messages:read']),
      ),
    };
    const outcomes: string[] = [];
    for (const [type, scope] of Object.entries(scopeOf)) {
      // The scope is checked before the payload: an empty one is refused for the scope first.
      const none = await code(type, {}, token({ sub: subject('none'), scope: '' }));
      const wrong = ALL_SCOPES.split(' ').filter((s) => s !== scope);
      const others = await code(
        type,
        {},
        token({ sub: subject('others'), scope: wrong.join(' ') }),
      );
      const right = await code(type, {}, token({ sub: subject('right'), scope }));
      outcomes.push(
        `${type}: ${none} ${others} ${right === 'INSUFFICIENT_SCOPE' ? right : 'passes'}`,
      );
    }
    expect(outcomes).toEqual(
      Object.keys(scopeOf).map((type) => `${type}: INSUFFICIENT_SCOPE INSUFFICIENT_SCOPE passes`),
    );
  });

  it("audits each state change and each denial with the token's subject as actor", async () => {
    const writer = subject('writer');
    const m = `audit-${randomUUID().slice(0, 8)}`;
    const id = `corr-${randomUUID()}`;
    const writerToken = token({ sub: writer, scope: 'mediators:write mediators:read' });
    const created = await client.command(
      'create_mediator',
      { name: m },
      { token: writerToken, correlationId: id },
    );
    expect(created.value.ok).toBe(true);
    expect(
      await code('register_colleague', { mediator: m, id: 'c', name: 'c', type: 't' }, writerToken),
    ).toBe('INSUFFICIENT_SCOPE');
    const rows = await auditOf(`actor=${writer}`);
    expect(rows.map((e) => [e.transport, e.action, e.outcome, e.mediator]).sort()).toEqual(
      [
        ['kafka', 'create_mediator', 'ok', m],
        ['kafka', 'register_colleague', 'denied', m],
      ].sort(),
    );
    expect(await auditOf('actor=kafka')).toEqual([]);
  });

  it('answers a forbidden kafka_replyTopic on the responses topic and writes nothing there', async () => {
    const m = `reply-${randomUUID().slice(0, 8)}`;
    const id = `corr-${randomUUID()}`;
    const since = Date.now() - 1000;
    const reply = await client.command(
      'create_mediator',
      { name: m },
      { correlationId: id, replyTopic: topics.events, replyPartition: 2 },
    );
    expect(reply.topic).toBe(topics.responses);
    expect(reply.value).toMatchObject({
      correlation_id: id,
      ok: false,
      error: { code: 'REPLY_TOPIC_FORBIDDEN' },
    });
    // Not executed, and nothing carrying the correlation id on the topic it asked for.
    expect((await rest(`/mediators/${m}`)).status).toBe(404);
    const onEvents = await kcatRead(brokers[0], topics.events, since);
    expect(onEvents.filter((r) => r.headers.includes(id) || r.value.includes(id))).toEqual([]);
    expect(onEvents.filter((r) => r.value.includes(m))).toEqual([]);
  });

  it('replies on an allowed reply topic (message_queue.reply_topics), to the asked partition', async () => {
    for (const partition of [1, 2]) {
      const reply = await client.command(
        'list_mediators',
        { limit: 1 },
        { replyTopic: topics.replies, replyPartition: partition, token: admin },
      );
      expect([reply.topic, reply.partition, reply.value.ok]).toEqual([
        topics.replies,
        partition,
        true,
      ]);
    }
  });

  it('rate limits the commands of one subject (RATE_LIMITED), not the others', async () => {
    const busy = adminToken(subject('busy'));
    const codes: string[] = [];
    for (let i = 0; i < RATE_LIMIT + 2; i++)
      codes.push(await code('list_mediators', { limit: 1 }, busy));
    expect(codes.slice(0, RATE_LIMIT).every((c) => c === 'ok')).toBe(true);
    expect(codes.slice(RATE_LIMIT)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    // A state change refused by the limit is audited as a denial of that subject.
    const m = `limited-${randomUUID().slice(0, 8)}`;
    expect(await code('create_mediator', { name: m }, busy)).toBe('RATE_LIMITED');
    expect((await rest(`/mediators/${m}`)).status).toBe(404);
    // Another subject still has its budget.
    expect(await code('list_mediators', { limit: 1 }, adminToken(subject('calm')))).toBe('ok');
  });

  it('refuses a payload nested deeper than server.max_json_depth, and keeps prototype-named keys verbatim', async () => {
    const m = await world();
    const as = adminToken(subject('input'));
    let deep: unknown = 'bottom';
    for (let i = 0; i < 1000; i++) deep = [deep];
    const refused = await client.command(
      'send_message',
      { mediator: m, sender_id: 'a', recipient_id: 'b', message: deep },
      { token: as },
    );
    expect(refused.value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(refused.value.error.details).toEqual([
      expect.objectContaining({ field: expect.stringMatching(/^message/) }),
    ]);

    const message = { constructor: 1, toString: 'x', valueOf: [1], hasOwnProperty: null };
    const sent = await client.command(
      'send_message',
      { mediator: m, sender_id: 'a', recipient_id: 'b', message },
      { token: as },
    );
    expect(sent.value.ok).toBe(true);
    const read = await client.command(
      'get_message',
      { mediator: m, message_id: sent.value.result.id },
      { token: as },
    );
    expect(read.value.result.payload).toEqual(message);
    expect(Object.keys(read.value.result.payload)).toEqual(Object.keys(message));
  });
});

describe('Kafka over a SASL/PLAIN listener', () => {
  let brokers: string[];
  let topics: Topics;
  const admin = adminToken('kafka-sasl-it');

  beforeAll(async () => {
    ({ brokers } = await kafkaServer());
    topics = await createTopics(brokers, 'kafka-sasl');
  });

  afterAll(async () => {
    if (topics) await deleteTopics(brokers, topics);
  });

  it('answers commands and publishes events through the SASL listener with the right password', async () => {
    const sasl = await kafkaSaslListener();
    const service = await startService({
      config: kafkaConfig(topics),
      env: {
        KAFKA_BROKERS: sasl.brokers.join(','),
        KAFKA_SASL_MECHANISM: 'PLAIN',
        KAFKA_SASL_USERNAME: sasl.username,
        KAFKA_SASL_PASSWORD: sasl.password,
      },
    });
    // The client is on the PLAINTEXT listener: only the service logs in.
    const client = new CommandClient(brokers, topics, admin);
    try {
      const since = Date.now() - 1000;
      await client.start();
      const m = `sasl-${randomUUID().slice(0, 8)}`;
      const reply = await client.command('create_mediator', { name: m });
      expect(reply.value).toMatchObject({ ok: true, result: { name: m } });
      const health = (await (await fetch(`${service.url}/health`)).json()) as {
        details: Record<string, { status: string }>;
      };
      expect(health.details.kafka.status).toBe('up');
      // The outbox relay's producer logs in too: the lifecycle event reaches the events topic.
      let events: { key: string }[] = [];
      for (let i = 0; i < 50 && !events.some((e) => e.key === m); i++) {
        events = await kcatRead(brokers[0], topics.events, since);
        if (!events.some((e) => e.key === m)) await new Promise((r) => setTimeout(r, 200));
      }
      expect(events.map((e) => e.key)).toContain(m);
    } finally {
      await client.stop();
      await service.stop();
    }
  }, 60_000);

  it('reports kafka down in /health with a wrong password', async () => {
    const sasl = await kafkaSaslListener();
    const service = await startService({
      config: kafkaConfig(topics),
      env: {
        KAFKA_BROKERS: sasl.brokers.join(','),
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: sasl.username,
        KAFKA_SASL_PASSWORD: `${sasl.password}-wrong`,
      },
      readyPath: '/health/live',
    });
    try {
      const res = await fetch(`${service.url}/health`);
      const health = (await res.json()) as { details: Record<string, unknown> };
      expect(res.status).toBe(503);
      // Down because the broker refused the login (not for want of trying SASL at all).
      expect(health.details.kafka).toEqual({
        status: 'down',
        message: expect.stringContaining('SASL PLAIN authentication failed'),
      });
    } finally {
      await service.stop();
    }
  }, 60_000);
});
