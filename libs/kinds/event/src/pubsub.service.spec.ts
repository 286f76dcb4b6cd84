import type { TestingModule } from '@nestjs/testing';
import { MediatorNotFoundError, type PublishResult, ValidationError } from '@mediator/core';
import { compileKind, fakePorts, type Ports } from '../../../../test/support/nest-fakes';
import { eventKind } from './event.kind';
import { PubSubService } from './pubsub.service';
import { SqlEventStore } from './sql-event.store';

const published = { id: 'e1', type: 'order.created', duplicate: false } as PublishResult;

describe('PubSubService (the event kind)', () => {
  let ports: Ports;
  let publishEvent: jest.Mock;
  let events: { page: jest.Mock };
  let service: PubSubService;
  let moduleRef: TestingModule;

  beforeEach(async () => {
    ports = fakePorts();
    publishEvent = jest.fn().mockResolvedValue(published);
    events = { page: jest.fn().mockResolvedValue({ items: [], nextCursor: null }) };
    ports.core.knows('m', { publishEvent });
    ({ service, moduleRef } = await compileKind(eventKind, PubSubService, ports, [
      { provide: SqlEventStore, useValue: events },
    ]));
  });

  afterEach(() => moduleRef.close());

  it('publishes through the core with the caller’s id, counts it', async () => {
    await expect(
      service.publish('m', { senderId: 'c1', type: 'order.created', data: { n: 1 }, id: 'k1' }),
    ).resolves.toBe(published);

    expect(publishEvent).toHaveBeenCalledWith('c1', 'order.created', { n: 1 }, { id: 'k1' });
    expect(ports.metrics.messageSent).toHaveBeenCalledWith('event', 'ok');
  });

  it('counts a refused publish as an error, lets the error through', async () => {
    // A refusal can follow writes (a dead-lettered delivery): the relay must look at the outbox.
    const refused = new ValidationError('bad type');
    publishEvent.mockRejectedValueOnce(refused);

    await expect(service.publish('m', { senderId: 'c1', type: '', data: null })).rejects.toBe(
      refused,
    );
    expect(ports.metrics.messageSent).toHaveBeenCalledWith('event', 'error');
  });

  it('answers MEDIATOR_NOT_FOUND without counting or publishing anything', async () => {
    await expect(
      service.publish('nope', { senderId: 'c1', type: 't', data: null }),
    ).rejects.toBeInstanceOf(MediatorNotFoundError);
    await expect(service.history('nope', undefined, { limit: 5 })).rejects.toBeInstanceOf(
      MediatorNotFoundError,
    );
    expect(ports.metrics.messageSent).not.toHaveBeenCalled();
    expect(events.page).not.toHaveBeenCalled();
  });

  it('reads the history of one type from the event store', async () => {
    await service.history('m', 'order.created', { limit: 5 });

    expect(events.page).toHaveBeenCalledWith('m', 'order.created', { limit: 5 });
  });
});
