import { ServiceNotFoundError, ValidationError } from '../../errors';
import { type KindHost, requireName, requirePositiveInteger } from '../kind-host';
import {
  SERVICE_STATUSES,
  canonicalServiceStatus,
  type ServiceRecord,
  type ServiceStatus,
  type ServiceStatusInput,
  missedHeartbeat,
  withHeartbeat,
  withStatus,
} from './service';
import type { ServiceStore } from './service-store';

export interface RegisterServiceInput {
  name: string;
  type: string;
  /** A status, or an alias of one (`running` is `healthy`). */
  status?: ServiceStatusInput;
  endpoint?: string | null;
  heartbeatTtlMs?: number;
}

/** A registration with its status read (an alias replaced by the status it names). */
type Registration = Omit<RegisterServiceInput, 'status'> & { status?: ServiceStatus };

const DEFAULT_HEARTBEAT_TTL_MS = 30_000;

/**
 * Services with a status and a heartbeat. Nothing watches the clock here: call
 * `checkHeartbeats(now)` periodically (the service: on an interval, on every instance — the
 * store's compare-and-set makes one of them win).
 */
export class ServiceRegistry {
  constructor(
    private readonly host: KindHost,
    private readonly store: ServiceStore,
  ) {}

  /** Registers or updates a service (PUT semantics); counts as a heartbeat. */
  async register(given: RegisterServiceInput): Promise<ServiceRecord> {
    const input: Registration = { ...given, status: canonicalServiceStatus(given.status) };
    validateInput(input);
    for (;;) {
      const current = await this.store.find(this.host.name, input.name);
      const next = this.registration(input, current);
      const changed = current !== null && current.status !== next.status;
      const event = changed
        ? this.statusChanged(next, current.status, 'registered')
        : this.host.event(current ? 'service_updated' : 'service_registered', toEventData(next));
      if (await this.store.save(next, event)) return next;
    }
  }

  async heartbeat(name: string): Promise<ServiceRecord> {
    for (;;) {
      const current = await this.get(name);
      const next = withHeartbeat(current, this.host.clock.now());
      const event =
        next.status !== current.status
          ? this.statusChanged(next, current.status, 'heartbeat')
          : null;
      if (await this.store.save(next, event)) return next;
    }
  }

  async get(name: string): Promise<ServiceRecord> {
    const service = await this.store.find(this.host.name, name);
    if (!service) throw new ServiceNotFoundError(this.host.name, name);
    return service;
  }

  list(status?: ServiceStatusInput): Promise<ServiceRecord[]> {
    return this.store.list(this.host.name, canonicalServiceStatus(status));
  }

  /** Marks `unhealthy` every service whose heartbeat is older than its ttl; returns those. */
  async checkHeartbeats(now: Date = this.host.clock.now()): Promise<ServiceRecord[]> {
    const expired = (await this.store.list(this.host.name)).filter((s) => missedHeartbeat(s, now));
    const marked: ServiceRecord[] = [];
    for (const service of expired) {
      const next = withStatus(service, 'unhealthy', now);
      const event = this.statusChanged(next, service.status, 'heartbeat_missed');
      // A false save means a heartbeat or another instance got there first: nothing to do.
      if (await this.store.save(next, event)) marked.push(next);
    }
    return marked;
  }

  private registration(input: Registration, current: ServiceRecord | null): ServiceRecord {
    const now = this.host.clock.now();
    return {
      mediator: this.host.name,
      name: input.name,
      type: input.type,
      status: input.status ?? 'healthy',
      endpoint: input.endpoint ?? null,
      heartbeatTtlMs: input.heartbeatTtlMs ?? current?.heartbeatTtlMs ?? DEFAULT_HEARTBEAT_TTL_MS,
      lastHeartbeatAt: now,
      version: (current?.version ?? 0) + 1,
      registeredAt: current?.registeredAt ?? now,
      updatedAt: now,
    };
  }

  private statusChanged(service: ServiceRecord, from: ServiceStatus, reason: string) {
    return this.host.event('service_status_changed', {
      ...toEventData(service),
      previous_status: from,
      reason,
    });
  }
}

function validateInput(input: Registration): void {
  requireName('service', input.name);
  requireName('type', input.type);
  if (input.status !== undefined && !SERVICE_STATUSES.includes(input.status)) {
    throw new ValidationError('invalid service status', [
      { field: 'status', problem: `must be one of ${SERVICE_STATUSES.join(', ')}` },
    ]);
  }
  if (input.heartbeatTtlMs !== undefined)
    requirePositiveInteger('heartbeat_ttl', input.heartbeatTtlMs);
}

function toEventData(s: ServiceRecord): Record<string, unknown> {
  return { service: s.name, type: s.type, status: s.status, endpoint: s.endpoint };
}
