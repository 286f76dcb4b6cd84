// @mediator/client/kafka against a real broker: request/reply over the commands and responses
// topics with a correlation id and the bearer token, typed errors, and the timeout.
// Needs KAFKA_BROKERS (eval "$(deploy/local/up.sh kafka)").
import { randomUUID } from 'node:crypto';
import { MediatorNotFoundError, RequestTimeoutError } from '@mediator/client';
import { MediatorKafkaClient } from '@mediator/client/kafka';
import { type RunningService, startService } from '../support/service';
import { adminToken } from '../support/tokens';
import { createTopics, deleteTopics, kafkaConfig, type Topics } from './support/kafka-client';
import { kafkaServer } from './support/servers';

describe('MediatorKafkaClient', () => {
  let brokers: string[];
  let topics: Topics;
  let service: RunningService;
  let client: MediatorKafkaClient;

  beforeAll(async () => {
    ({ brokers } = await kafkaServer());
    topics = await createTopics(brokers, 'client-it');
    service = await startService({
      config: kafkaConfig(topics),
      env: { KAFKA_BROKERS: brokers.join(',') },
    });
    client = await MediatorKafkaClient.connect({
      brokers,
      token: () => adminToken('kafka-client-it'),
      commandsTopic: topics.commands,
      responsesTopic: topics.responses,
    });
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await service?.stop();
    if (topics) await deleteTopics(brokers, topics);
  });

  it('runs an operation and resolves with its result', async () => {
    const name = `kc-${randomUUID().slice(0, 8)}`;
    const created = await client.request('create_mediator', { name }, { timeoutMs: 20_000 });
    expect(created).toMatchObject({ name, colleague_count: 0 });
    await expect(client.request('get_mediator', { mediator: name })).resolves.toMatchObject({
      name,
    });
  });

  it('rejects with the error class of the reply code', async () => {
    await expect(
      client.request('get_mediator', { mediator: 'no-such-mediator' }, { timeoutMs: 20_000 }),
    ).rejects.toBeInstanceOf(MediatorNotFoundError);
  });

  it('rejects with RequestTimeoutError when no reply comes in time', async () => {
    const silent = await MediatorKafkaClient.connect({
      brokers,
      token: adminToken('kafka-client-it'),
      // A topic no service reads: the request is never answered.
      commandsTopic: topics.events,
      responsesTopic: topics.responses,
    });
    try {
      await expect(silent.request('list_mediators', {}, { timeoutMs: 500 })).rejects.toBeInstanceOf(
        RequestTimeoutError,
      );
    } finally {
      await silent.close();
    }
  });
});
