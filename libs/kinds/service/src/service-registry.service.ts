import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  canonicalServiceStatus,
  Clock,
  type ServiceRecord,
  type ServiceStatusInput,
  ValidationError,
} from '@mediator/core';
import { CoreMediatorProvider } from '@mediator/mediators';
import { PeriodicTask } from '@mediator/persistence';
import type { Page, PageRequest } from '@mediator/persistence';
import { SqlServiceStore } from './sql-service.store';
import { type RegisterServiceDto, SERVICE_NAME_PATTERN } from './service.dto';

/** How often every instance looks for missed heartbeats (the store's compare-and-set picks one). */
export const HEARTBEAT_SWEEP_INTERVAL_MS = 1000;

/**
 * The service registry of the core (`mediator.services`) on the SQL store. The heartbeat sweep
 * runs on every instance; of two that see the same missed heartbeat only one changes the status
 * and writes service_status_changed (compare-and-set on `version` in SQL).
 */
@Injectable()
export class ServiceRegistryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ServiceRegistry');
  private readonly sweeper = new PeriodicTask(
    'heartbeat sweep',
    HEARTBEAT_SWEEP_INTERVAL_MS,
    () => this.sweep(),
    this.logger,
  );

  constructor(
    private readonly core: CoreMediatorProvider,
    private readonly store: SqlServiceStore,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  async register(
    mediatorName: string,
    name: string,
    dto: RegisterServiceDto,
  ): Promise<{ service: ServiceRecord; created: boolean }> {
    requireServiceName(name);
    const mediator = await this.core.mediator(mediatorName);
    const service = await mediator.services.register({
      name,
      type: dto.type,
      status: dto.status,
      endpoint: dto.endpoint ?? null,
      heartbeatTtlMs: dto.heartbeat_ttl === undefined ? undefined : dto.heartbeat_ttl * 1000,
    });
    return { service, created: service.version === 1 };
  }

  async heartbeat(mediatorName: string, name: string): Promise<ServiceRecord> {
    const mediator = await this.core.mediator(mediatorName);
    const service = await mediator.services.heartbeat(name);
    return service;
  }

  async get(mediatorName: string, name: string): Promise<ServiceRecord> {
    return (await this.core.mediator(mediatorName)).services.get(name);
  }

  async list(
    mediatorName: string,
    status: ServiceStatusInput | undefined,
    page: PageRequest,
  ): Promise<Page<ServiceRecord>> {
    await this.core.mediator(mediatorName);
    // `?status=running` lists the healthy services: running is healthy's other name.
    return this.store.page(mediatorName, canonicalServiceStatus(status), page);
  }

  /** One pass: every mediator with a missed heartbeat runs the core's checkHeartbeats. */
  private async sweep(): Promise<void> {
    const now = this.clock.now();
    for (const name of await this.store.mediatorsWithMissedHeartbeats(now)) {
      const mediator = await this.core.mediator(name).catch(() => null);
      if (mediator) await mediator.services.checkHeartbeats(now);
    }
  }
}

function requireServiceName(name: string): void {
  if (!SERVICE_NAME_PATTERN.test(name))
    throw new ValidationError('invalid service name', [
      { field: 'service', problem: `must match ${SERVICE_NAME_PATTERN.source}` },
    ]);
}
