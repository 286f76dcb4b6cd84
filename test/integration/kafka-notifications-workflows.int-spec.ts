// Kafka request/reply for the notification and workflow kinds (CONTRACT §6) against a real
// broker: the built service as a child process, driven by a plain kafkajs client, with a step
// handler connected over Socket.IO. Needs KAFKA_BROKERS (eval "$(deploy/local/up.sh kafka)").
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { connected } from '../support/ws';
import {
  CommandClient,
  createTopics,
  deleteTopics,
  kafkaConfig,
  type Topics,
} from './support/kafka-client';
import { kafkaServer } from './support/servers';

jest.setTimeout(90_000);

describe('Kafka commands of the notification and workflow kinds', () => {
  let brokers: string[];
  let topics: Topics;
  let service: RunningService;
  let client: CommandClient;
  let handler: Socket;
  const m = `nw-${randomUUID().slice(0, 8)}`;
  const token = adminToken('kafka-nw-it');

  const rest = async (path: string) => {
    const res = await fetch(`${service.url}/api/v1/mediators/${m}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return res.json();
  };
  const ok = async (type: string, payload: unknown) => {
    const reply = await client.command(type, payload);
    expect(reply.value).toMatchObject({ ok: true });
    return reply.value.result;
  };
  const until = async <T>(probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 20_000;
    for (let v = await probe(); ; v = await probe()) {
      if (done(v)) return v;
      if (Date.now() > deadline) throw new Error(`not reached; last ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    ({ brokers } = await kafkaServer());
    topics = await createTopics(brokers, 'kafka-nw-it');
    service = await startService({
      config: kafkaConfig(topics),
      env: { KAFKA_BROKERS: brokers.join(',') },
    });
    client = new CommandClient(brokers, topics, token);
    await client.start();
    await ok('create_mediator', { name: m });
    await ok('register_colleague', {
      mediator: m,
      id: 'courier',
      name: 'courier',
      type: 'workflow',
      handles: ['notification.push', 'a.run', 'b.run'],
    });
    handler = await connected(service.url, colleagueToken(m, 'courier'));
    handler.on('message', (d: { type: string }, ack: (r: unknown) => void) =>
      ack({ ok: true, result: `${d.type} ok` }),
    );
  }, 60_000);

  afterAll(async () => {
    handler?.close();
    await client?.stop();
    await service?.stop();
    if (topics) await deleteTopics(brokers, topics);
  });

  it('send_notification answers the pending notification, which is then delivered', async () => {
    const sent = await ok('send_notification', {
      mediator: m,
      type: 'alert',
      content: { text: 'disk full' },
      recipient_id: 'ops',
      channel: 'push',
    });
    expect(sent).toMatchObject({ status: 'pending', channel: 'push', recipient_id: 'ops' });
    const delivered = await until(
      () => ok('get_notification', { mediator: m, id: sent.id }),
      (n) => n.status === 'delivered',
    );
    expect(delivered).toEqual(await rest(`/notifications/${sent.id}`));
  });

  it('start_workflow runs the steps; get_workflow answers the REST object; bad input fails', async () => {
    const started = await ok('start_workflow', {
      mediator: m,
      name: 'pipeline',
      steps: [
        { name: 'first', type: 'a.run' },
        { name: 'second', type: 'b.run' },
      ],
      data: { n: 1 },
    });
    expect(started).toMatchObject({ name: 'pipeline', current_step: 0 });
    const done = await until(
      () => ok('get_workflow', { mediator: m, id: started.id }),
      (w) => w.status === 'completed',
    );
    expect(done.results).toEqual({ first: 'a.run ok', second: 'b.run ok' });
    expect(done).toEqual(await rest(`/workflows/${started.id}`));
    const listed = await ok('list_workflows', { mediator: m, status: 'completed', limit: 1 });
    expect(listed).toEqual(await rest('/workflows?status=completed&limit=1'));
    expect(listed.items[0]).toEqual(done);

    const missing = await client.command('get_workflow', { mediator: m, id: 'nope' });
    expect(missing.value).toMatchObject({ ok: false, error: { code: 'WORKFLOW_NOT_FOUND' } });
    const invalid = await client.command('start_workflow', { mediator: m, name: 'x', steps: 3 });
    expect(invalid.value).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});
