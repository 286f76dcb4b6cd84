import type { AppConfig } from '@mediator/config';
import { type Envelope, ManualClock } from '@mediator/core';
import type { DueDelivery, MessageRepository } from '@mediator/persistence';
import type { MetricsService } from '@mediator/observability';
import type { RealtimeHub } from '@mediator/realtime';
import { DeliveryRetries } from './delivery-retries';

// Nest's packages are ES modules Jest cannot load: stubbed with the modules that pull them in.
jest.mock('@nestjs/common', () => ({
  Inject: () => () => undefined,
  Injectable: () => () => undefined,
  Logger: class {
    warn(): void {}
  },
}));
jest.mock('@mediator/config', () => ({ APP_CONFIG: 'APP_CONFIG' }));
jest.mock('@mediator/persistence', () => ({
  MessageRepository: class {},
  PeriodicTask: class {
    start(): void {}
    stop(): void {}
  },
}));
jest.mock('@mediator/observability', () => ({ MetricsService: class {} }));
jest.mock('@mediator/realtime', () => ({ RealtimeHub: class {} }));

const NOW = new Date('2026-03-04T05:06:07.000Z');

function retries(stored: { envelope: Envelope } | null) {
  const due: DueDelivery = {
    mediator: 'orders',
    messageId: 'm-1',
    recipientId: 'bob',
    status: 'delivered',
    attempts: 0,
    dueAt: NOW.getTime() - 1,
  };
  const messages = {
    dueDeliveries: jest.fn(async () => [due]),
    findById: jest.fn(async () => stored),
    reschedule: jest.fn(async () => true),
    recordFailure: jest.fn(async () => true),
  };
  const hub = { onRefusal: jest.fn(), push: jest.fn(), isOnline: jest.fn() };
  const metrics = { deliveryFailed: jest.fn() };
  const config = {
    retryCount: 3,
    messaging: {
      sweepIntervalMs: 1000,
      ackTimeoutMs: 30_000,
      backoffMs: 1000,
      maxBackoffMs: 60_000,
    },
  } as unknown as AppConfig;
  const service = new DeliveryRetries(
    messages as unknown as MessageRepository,
    hub as unknown as RealtimeHub,
    metrics as unknown as MetricsService,
    config,
    new ManualClock(NOW.toISOString()),
  );
  return { service, messages, hub, due };
}

describe('DeliveryRetries.sweep', () => {
  it('counts an overdue ack as a failed attempt, retried after the backoff', async () => {
    const { service, messages, due } = retries({ envelope: { id: 'm-1' } as Envelope });
    await service.sweep(NOW.getTime());
    expect(messages.recordFailure).toHaveBeenCalledWith(due, 'ACK_TIMEOUT: no ack in 30s', {
      status: 'pending',
      dueAt: NOW.getTime() + 1000,
    });
  });

  it('takes a slot whose message is missing off the schedule, and pushes nothing', async () => {
    const { service, messages, hub, due } = retries(null);
    await service.sweep(NOW.getTime());
    expect(messages.reschedule).toHaveBeenCalledWith(due, null);
    expect(messages.recordFailure).not.toHaveBeenCalled();
    expect(hub.push).not.toHaveBeenCalled();
  });
});
