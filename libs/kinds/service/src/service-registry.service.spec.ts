import type { TestingModule } from '@nestjs/testing';
import { type ServiceRecord, ServiceNotFoundError, ValidationError } from '@mediator/core';
import type { Page } from '@mediator/persistence';
import {
  boundStore,
  compileKind,
  fakeFacade,
  fakePorts,
  type Ports,
  useFakeClock,
} from '../../../../test/support/nest-fakes';
import { HEARTBEAT_SWEEP_INTERVAL_MS, ServiceRegistryService } from './service-registry.service';
import { serviceKind } from './service.kind';
import { SqlServiceStore } from './sql-service.store';

/** The SQL queries of the service store this spec replaces. */
interface ServiceQueries {
  page(...args: unknown[]): Promise<Page<ServiceRecord>>;
  mediatorsWithMissedHeartbeats(now: Date): Promise<string[]>;
}

const record = (version: number) => ({ name: 'billing', version }) as ServiceRecord;

describe('ServiceRegistryService', () => {
  let ports: Ports;
  let services: ReturnType<typeof fakeFacade<'register' | 'heartbeat' | 'get' | 'checkHeartbeats'>>;
  let service: ServiceRegistryService;
  let moduleRef: TestingModule;
  let store: ServiceQueries;

  beforeEach(async () => {
    useFakeClock();
    ports = fakePorts();
    services = fakeFacade('register', 'heartbeat', 'get', 'checkHeartbeats');
    services.register.mockResolvedValue(record(1));
    services.heartbeat.mockResolvedValue(record(2));
    services.checkHeartbeats.mockResolvedValue([]);
    ports.core.knows('m', { services });
    const kind = await compileKind(serviceKind, ServiceRegistryService, ports);
    ({ service, moduleRef } = kind);
    store = boundStore<ServiceQueries>(kind, 'services');
  });

  afterEach(async () => {
    await moduleRef.close();
    jest.useRealTimers();
  });

  it('binds its SQL store as the core’s service store in its module', () => {
    expect(store).toBeInstanceOf(SqlServiceStore);
  });

  it('refuses a service name the URL grammar does not allow, before asking the core', async () => {
    const refused = service.register('m', 'a b', { type: 'http', status: 'healthy' });

    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ details: [{ field: 'service' }] });
    expect(ports.core.mediator).not.toHaveBeenCalled();
  });

  it('registers with the heartbeat ttl in milliseconds and no endpoint as null', async () => {
    await expect(
      service.register('m', 'billing', { type: 'http', status: 'healthy', heartbeat_ttl: 15 }),
    ).resolves.toEqual({ service: record(1), created: true });
    expect(services.register).toHaveBeenCalledWith({
      name: 'billing',
      type: 'http',
      status: 'healthy',
      endpoint: null,
      heartbeatTtlMs: 15_000,
    });
  });

  it('tells a re-registration (version > 1) from a creation and keeps an unset ttl unset', async () => {
    services.register.mockResolvedValueOnce(record(3));

    await expect(
      service.register('m', 'billing', { type: 'http', status: 'healthy', endpoint: 'http://b' }),
    ).resolves.toEqual({ service: record(3), created: false });
    expect(services.register).toHaveBeenCalledWith(
      expect.objectContaining({ endpoint: 'http://b', heartbeatTtlMs: undefined }),
    );
  });

  it('lets SERVICE_NOT_FOUND of a heartbeat through', async () => {
    services.heartbeat.mockRejectedValueOnce(new ServiceNotFoundError('m', 'ghost'));

    await expect(service.heartbeat('m', 'ghost')).rejects.toBeInstanceOf(ServiceNotFoundError);
  });

  it('lists `?status=running` as the healthy services', async () => {
    const page = jest.spyOn(store, 'page').mockResolvedValue({ items: [], nextCursor: null });

    await service.list('m', 'running', { limit: 20 });

    expect(page).toHaveBeenCalledWith('m', 'healthy', { limit: 20 });
  });

  it('checks the heartbeats of every mediator that missed one, at the current time', async () => {
    const due = jest.spyOn(store, 'mediatorsWithMissedHeartbeats').mockResolvedValue(['m']);
    services.checkHeartbeats.mockResolvedValueOnce([record(2)]);

    await jest.advanceTimersByTimeAsync(HEARTBEAT_SWEEP_INTERVAL_MS);

    const now = new Date('2026-01-01T00:00:01.000Z');
    expect(due).toHaveBeenCalledWith(now);
    expect(services.checkHeartbeats).toHaveBeenCalledWith(now);
  });
});
