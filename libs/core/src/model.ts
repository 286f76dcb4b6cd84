/** The ten kinds of mediation (KINDS.md); a colleague's `type` and a message's `kind`. */
export const MEDIATOR_KINDS = [
  'message',
  'event',
  'command',
  'query',
  'notification',
  'workflow',
  'service',
  'resource',
  'task',
  'job',
] as const;
export type MediatorKind = (typeof MEDIATOR_KINDS)[number];

export const MEDIATOR_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const COLLEAGUE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

export interface MediatorInfo {
  name: string;
  description: string;
  maxColleagues: number;
  colleagueCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ColleagueInfo {
  mediator: string;
  id: string;
  name: string;
  type: MediatorKind;
  active: boolean;
  handles: string[];
  subscriptions: string[];
  metadata: Record<string, JsonValue>;
  registeredAt: Date;
}

/**
 * One recipient's copy: `pending` (stored, or refused and waiting for its retry), `delivered`
 * (pushed, not acknowledged yet), `acked`, or `dead` (refused or unanswered more often than the
 * retries allow; only an explicit redeliver brings it back).
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'acked' | 'dead';

export interface Envelope {
  id: string;
  mediator: string;
  kind: MediatorKind;
  type: string;
  senderId: string;
  /** null for a broadcast. */
  recipientId: string | null;
  payload: JsonValue;
  headers: Record<string, string>;
  correlationId: string | null;
  createdAt: Date;
  /** Aggregate status: the least advanced status over all recipients. */
  status: DeliveryStatus;
}

export interface RecipientStatus {
  recipientId: string;
  status: DeliveryStatus;
  deliveredAt: Date | null;
  ackedAt: Date | null;
}

export interface BroadcastEnvelope extends Envelope {
  recipients: number;
}

export interface SendOptions {
  kind?: MediatorKind;
  type?: string;
  headers?: Record<string, string>;
  correlationId?: string | null;
  idempotencyKey?: string;
}

/** The least advanced of several recipient statuses. */
export function aggregateStatus(statuses: DeliveryStatus[]): DeliveryStatus {
  if (statuses.length === 0) return 'acked';
  if (statuses.includes('pending')) return 'pending';
  if (statuses.includes('delivered')) return 'delivered';
  if (statuses.includes('dead')) return 'dead';
  return 'acked';
}
