// Shapes of what the service pushes over Socket.IO (CONTRACT §5, KINDS.md). The REST shapes
// come from the OpenAPI document (src/generated/types.gen.ts).

export type Kind =
  | 'message'
  | 'event'
  | 'command'
  | 'query'
  | 'notification'
  | 'workflow'
  | 'service'
  | 'resource'
  | 'task'
  | 'job';

/** A delivery to this colleague: the stored envelope. */
export interface Envelope<T = unknown> {
  id: string;
  mediator: string;
  kind: Kind;
  type: string;
  sender_id: string;
  recipient_id: string | null;
  payload: T;
  headers: Record<string, string>;
  correlation_id: string | null;
  created_at: string;
  status: string;
}

/** A lifecycle event (`colleague_registered`, `task_submitted`, …). */
export interface LifecycleEvent<T = unknown> {
  id: string;
  event: string;
  mediator: string;
  data: T;
  timestamp: string;
}

/** What a colleague answers a delivery with, through the Socket.IO ack callback. */
export type Answer =
  | { ok: true; result?: unknown }
  | { ok: false; error: { code: string; message: string } };

/** The service's answer to a client → server Socket.IO event. */
export type ServerAck =
  | ({ ok: true } & Record<string, unknown>)
  | { ok: false; error: { code: string; message: string } };
