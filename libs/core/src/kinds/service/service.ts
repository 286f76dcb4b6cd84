export const SERVICE_STATUSES = [
  'starting',
  'healthy',
  'degraded',
  'unhealthy',
  'stopped',
] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export interface ServiceRecord {
  mediator: string;
  name: string;
  type: string;
  status: ServiceStatus;
  endpoint: string | null;
  /** A service whose last heartbeat is older than this becomes `unhealthy`. */
  heartbeatTtlMs: number;
  lastHeartbeatAt: Date;
  /** Incremented on every write; stores use it for compare-and-set. */
  version: number;
  registeredAt: Date;
  updatedAt: Date;
}

/** Statuses a missed heartbeat does not change: already unhealthy, or deliberately stopped. */
const HEARTBEAT_EXEMPT: readonly ServiceStatus[] = ['unhealthy', 'stopped'];

export function missedHeartbeat(service: ServiceRecord, now: Date): boolean {
  if (HEARTBEAT_EXEMPT.includes(service.status)) return false;
  return now.getTime() - service.lastHeartbeatAt.getTime() > service.heartbeatTtlMs;
}

export function withHeartbeat(service: ServiceRecord, now: Date): ServiceRecord {
  // A heartbeat is proof of life: an unhealthy service is healthy again.
  const status = service.status === 'unhealthy' ? 'healthy' : service.status;
  return { ...service, status, lastHeartbeatAt: now, version: service.version + 1, updatedAt: now };
}

export function withStatus(
  service: ServiceRecord,
  status: ServiceStatus,
  now: Date,
): ServiceRecord {
  return { ...service, status, version: service.version + 1, updatedAt: now };
}
