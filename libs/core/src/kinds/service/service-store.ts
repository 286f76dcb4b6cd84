import { EventFanOut } from '../../memory-adapters';
import type { LifecycleEvent } from '../../ports';
import type { ServiceRecord, ServiceStatus } from './service';

/**
 * The service registry. `save` is a compare-and-set on `version` (stored version must be
 * `record.version - 1`, or absent for version 1), so when two instances see the same missed
 * heartbeat only one marks the service unhealthy and emits the event.
 */
export abstract class ServiceStore {
  abstract find(mediator: string, name: string): Promise<ServiceRecord | null>;
  abstract list(mediator: string, status?: ServiceStatus): Promise<ServiceRecord[]>;
  abstract save(record: ServiceRecord, event: LifecycleEvent | null): Promise<boolean>;
}

export class InMemoryServiceStore extends ServiceStore {
  private readonly services = new Map<string, ServiceRecord>();

  constructor(readonly events = new EventFanOut()) {
    super();
  }

  async find(mediator: string, name: string): Promise<ServiceRecord | null> {
    return this.services.get(`${mediator}\u0000${name}`) ?? null;
  }

  async list(mediator: string, status?: ServiceStatus): Promise<ServiceRecord[]> {
    return [...this.services.values()].filter(
      (s) => s.mediator === mediator && (status === undefined || s.status === status),
    );
  }

  async save(record: ServiceRecord, event: LifecycleEvent | null): Promise<boolean> {
    const key = `${record.mediator}\u0000${record.name}`;
    const storedVersion = this.services.get(key)?.version ?? 0;
    if (storedVersion !== record.version - 1) return false;
    this.services.set(key, record);
    if (event) this.events.emit(event);
    return true;
  }
}
