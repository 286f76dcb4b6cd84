export const SERVICE_STATUSES = [
  'starting',
  'healthy',
  'degraded',
  'unhealthy',
  'stopped',
] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/**
 * Other names a caller may give a status, read as the status they name. `running` is the
 * original service's word for a service that is up: it is `healthy` (stored and answered so),
 * so one state machine holds: a missed heartbeat makes it `unhealthy`, a heartbeat `healthy` again.
 */
export const SERVICE_STATUS_ALIASES = { running: 'healthy' } as const satisfies Record<
  string,
  ServiceStatus
>;
export type ServiceStatusInput = ServiceStatus | keyof typeof SERVICE_STATUS_ALIASES;

/** What a request may say: the statuses and their aliases. */
export const SERVICE_STATUS_INPUTS: readonly string[] = [
  ...SERVICE_STATUSES,
  ...Object.keys(SERVICE_STATUS_ALIASES),
];

/** The status a given name stands for (an alias is read as its status; others pass unchanged). */
export function canonicalServiceStatus<T extends ServiceStatusInput | undefined>(
  status: T,
): Exclude<T, keyof typeof SERVICE_STATUS_ALIASES> | ServiceStatus {
  return (
    status !== undefined && Object.hasOwn(SERVICE_STATUS_ALIASES, status)
      ? SERVICE_STATUS_ALIASES[status as keyof typeof SERVICE_STATUS_ALIASES]
      : status
  ) as Exclude<T, keyof typeof SERVICE_STATUS_ALIASES> | ServiceStatus;
}

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
