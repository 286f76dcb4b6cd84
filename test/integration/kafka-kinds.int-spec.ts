// Kafka request/reply for the service, resource, task and job kinds (CONTRACT §6) against a real
// broker: the built service as a child process, driven by a plain kafkajs client.
// Needs KAFKA_BROKERS (eval "$(deploy/local/up.sh kafka)").
import { randomUUID } from 'node:crypto';
import { type RunningService, startService } from '../support/service';
import { adminToken } from '../support/tokens';
import {
  CommandClient,
  createTopics,
  deleteTopics,
  kafkaConfig,
  type Topics,
} from './support/kafka-client';
import { kafkaServer } from './support/servers';

describe('Kafka commands of the service, resource, task and job kinds', () => {
  let brokers: string[];
  let topics: Topics;
  let service: RunningService;
  let client: CommandClient;
  const token = adminToken('kafka-kinds-it');

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
  const mediator = async () => {
    const m = `kinds-${randomUUID().slice(0, 8)}`;
    await ok('create_mediator', { name: m });
    for (const id of ['holder', 'worker'])
      await ok('register_colleague', { mediator: m, id, name: id, type: 'service' });
    return m;
  };

  beforeAll(async () => {
    ({ brokers } = await kafkaServer());
    topics = await createTopics(brokers, 'kafka-kinds-it');
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

  it('registers, heartbeats and lists services with the REST wire objects', async () => {
    const m = await mediator();
    const registered = await ok('register_service', {
      mediator: m,
      service: 'billing-api',
      type: 'http',
      status: 'healthy',
      endpoint: 'http://billing:8080',
      heartbeat_ttl: 30,
    });
    expect(registered).toEqual({
      name: 'billing-api',
      type: 'http',
      status: 'healthy',
      endpoint: 'http://billing:8080',
      heartbeat_ttl: 30,
      last_heartbeat_at: expect.any(String),
      version: 1,
      registered_at: expect.any(String),
      updated_at: expect.any(String),
    });
    await ok('register_service', {
      mediator: m,
      service: 'cache',
      type: 'redis',
      status: 'stopped',
    });

    const beat = await ok('heartbeat', { mediator: m, service: 'billing-api' });
    expect(beat).toMatchObject({ name: 'billing-api', status: 'healthy', heartbeat_ttl: 30 });
    expect(beat).toEqual((await rest('GET', `/api/v1/mediators/${m}/services/billing-api`)).body);

    const all = await ok('list_services', { mediator: m });
    expect(all).toEqual((await rest('GET', `/api/v1/mediators/${m}/services`)).body);
    expect(all.items.map((s: { name: string }) => s.name).sort()).toEqual(['billing-api', 'cache']);
    expect(all.next_cursor).toBeNull();
    const stopped = await ok('list_services', { mediator: m, status: 'stopped' });
    expect(stopped.items.map((s: { name: string }) => s.name)).toEqual(['cache']);
  });

  it('acquires and releases resource leases with the REST wire objects', async () => {
    const m = await mediator();
    expect(
      (await rest('PUT', `/api/v1/mediators/${m}/resources/gpu`, { type: 'gpu', capacity: 4 }))
        .status,
    ).toBe(201);

    const lease = await ok('acquire_resource', {
      mediator: m,
      resource: 'gpu',
      holder_id: 'holder',
      amount: 3,
      ttl: 60,
    });
    expect(lease).toEqual({
      id: expect.any(String),
      resource: 'gpu',
      holder_id: 'holder',
      amount: 3,
      acquired_at: expect.any(String),
      expires_at: expect.any(String),
    });
    const expiresIn = Date.parse(lease.expires_at) - Date.parse(lease.acquired_at);
    expect(expiresIn).toBe(60_000);
    expect((await rest('GET', `/api/v1/mediators/${m}/resources/gpu`)).body).toMatchObject({
      used: 3,
      leases: [lease],
    });
    const pools = await ok('list_resources', { mediator: m });
    expect(pools).toEqual((await rest('GET', `/api/v1/mediators/${m}/resources`)).body);
    expect(pools.items).toEqual([
      expect.objectContaining({ name: 'gpu', used: 3, leases: [lease] }),
    ]);

    expect(await ok('release_resource', { mediator: m, resource: 'gpu', lease_id: lease.id })).toBe(
      null,
    );
    expect((await rest('GET', `/api/v1/mediators/${m}/resources/gpu`)).body).toMatchObject({
      used: 0,
      leases: [],
    });
  });

  it('submits, claims, completes and fails tasks with the REST wire objects', async () => {
    const m = await mediator();
    expect(await ok('claim_task', { mediator: m, worker_id: 'worker' })).toBeNull();

    const low = await ok('submit_task', {
      mediator: m,
      name: 'resize',
      type: 'image',
      priority: 1,
      data: { file: 'a.png' },
      retry_count: 0,
    });
    expect(low).toMatchObject({
      id: expect.any(String),
      mediator: m,
      name: 'resize',
      type: 'image',
      priority: 1,
      data: { file: 'a.png' },
      status: 'pending',
      attempts: 0,
      retry_count: 0,
      worker_id: null,
      claim_expires_at: null,
    });
    const high = await ok('submit_task', {
      mediator: m,
      name: 'urgent',
      type: 'image',
      priority: 9,
    });

    const first = await ok('claim_task', { mediator: m, worker_id: 'worker', types: ['image'] });
    expect(first).toMatchObject({
      id: high.id,
      status: 'claimed',
      worker_id: 'worker',
      attempts: 1,
    });
    const done = await ok('complete_task', {
      mediator: m,
      task_id: high.id,
      worker_id: 'worker',
      result: { ok: true },
    });
    expect(done).toMatchObject({ id: high.id, status: 'completed', result: { ok: true } });
    expect(done).toEqual((await rest('GET', `/api/v1/mediators/${m}/tasks/${high.id}`)).body);

    const second = await ok('claim_task', { mediator: m, worker_id: 'worker' });
    expect(second).toMatchObject({ id: low.id, status: 'claimed' });
    const failed = await ok('fail_task', {
      mediator: m,
      task_id: low.id,
      worker_id: 'worker',
      error: 'corrupt image',
    });
    // retry_count 0: the one failure is final.
    expect(failed).toMatchObject({ id: low.id, status: 'dead', error: 'corrupt image' });
    expect(await ok('claim_task', { mediator: m, worker_id: 'worker' })).toBeNull();
  });

  it('schedules, pauses and resumes jobs with the REST wire objects', async () => {
    const m = await mediator();
    const job = await ok('schedule_job', {
      mediator: m,
      job: 'nightly',
      type: 'report',
      schedule: '0 3 * * *',
      payload: { scope: 'all' },
      misfire: 'skip',
    });
    expect(job).toEqual({
      mediator: m,
      name: 'nightly',
      type: 'report',
      schedule: '0 3 * * *',
      payload: { scope: 'all' },
      target: 'task',
      misfire: 'skip',
      paused: false,
      next_run_at: expect.any(String),
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(new Date(job.next_run_at).getUTCHours()).toBe(3);

    const paused = await ok('pause_job', { mediator: m, job: 'nightly' });
    expect(paused).toMatchObject({ paused: true, next_run_at: null });
    expect(paused).toEqual((await rest('GET', `/api/v1/mediators/${m}/jobs/nightly`)).body);
    const resumed = await ok('resume_job', { mediator: m, job: 'nightly' });
    expect(resumed).toMatchObject({ paused: false, next_run_at: job.next_run_at });
    const listed = await ok('list_jobs', { mediator: m, limit: 10 });
    expect(listed).toEqual({ items: [resumed], next_cursor: null });
    expect(listed).toEqual((await rest('GET', `/api/v1/mediators/${m}/jobs?limit=10`)).body);
  });

  it('answers errors with the REST codes', async () => {
    const m = await mediator();
    // services
    expect((await failure('heartbeat', { mediator: m, service: 'nobody' })).code).toBe(
      'SERVICE_NOT_FOUND',
    );
    expect(
      (await failure('register_service', { mediator: m, service: 'x', type: 'http', status: 'ok' }))
        .code,
    ).toBe('VALIDATION_FAILED');
    expect((await failure('list_services', { mediator: 'no-such-mediator' })).code).toBe(
      'MEDIATOR_NOT_FOUND',
    );
    for (const type of ['list_jobs', 'list_resources'])
      expect((await failure(type, { mediator: 'no-such-mediator' })).code).toBe(
        'MEDIATOR_NOT_FOUND',
      );
    expect((await failure('list_jobs', { mediator: m, cursor: 'bm90LWEtY3Vyc29y' })).code).toBe(
      'VALIDATION_FAILED',
    );
    // resources
    await rest('PUT', `/api/v1/mediators/${m}/resources/slots`, { type: 'slot', capacity: 2 });
    expect(
      (
        await failure('acquire_resource', {
          mediator: m,
          resource: 'slots',
          holder_id: 'holder',
          amount: 3,
          ttl: 10,
        })
      ).code,
    ).toBe('INSUFFICIENT_CAPACITY');
    expect(
      (await failure('release_resource', { mediator: m, resource: 'slots', lease_id: 'nope' }))
        .code,
    ).toBe('LEASE_NOT_FOUND');
    // tasks
    expect(
      (await failure('complete_task', { mediator: m, task_id: randomUUID(), worker_id: 'worker' }))
        .code,
    ).toBe('TASK_NOT_FOUND');
    expect((await failure('submit_task', { mediator: m, name: 'x' })).code).toBe(
      'VALIDATION_FAILED',
    );
    const task = await ok('submit_task', { mediator: m, name: 't', type: 'image' });
    await ok('claim_task', { mediator: m, worker_id: 'worker' });
    expect(
      (
        await failure('fail_task', {
          mediator: m,
          task_id: task.id,
          worker_id: 'other',
          error: 'x',
        })
      ).code,
    ).toBe('INVALID_STATE');
    // jobs
    expect((await failure('pause_job', { mediator: m, job: 'nope' })).code).toBe('JOB_NOT_FOUND');
    expect(
      (await failure('schedule_job', { mediator: m, job: 'bad', type: 'r', schedule: 'often' }))
        .code,
    ).toBe('INVALID_SCHEDULE');
  });
});
