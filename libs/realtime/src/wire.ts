import type { Envelope, LifecycleEvent } from '@mediator/core';

/** An envelope on the wire (snake_case, RFC 3339 times), as REST, Socket.IO and Kafka show it. */
export interface EnvelopeWire {
  id: string;
  mediator: string;
  kind: string;
  type: string;
  sender_id: string;
  recipient_id: string | null;
  payload: unknown;
  headers: Record<string, string>;
  correlation_id: string | null;
  created_at: string;
  status: string;
}

export function toEnvelopeWire(e: Envelope): EnvelopeWire {
  return {
    id: e.id,
    mediator: e.mediator,
    kind: e.kind,
    type: e.type,
    sender_id: e.senderId,
    recipient_id: e.recipientId,
    payload: e.payload,
    headers: e.headers,
    correlation_id: e.correlationId,
    created_at: e.createdAt.toISOString(),
    status: e.status,
  };
}

export interface LifecycleEventWire {
  id: string;
  event: string;
  mediator: string;
  data: unknown;
  timestamp: string;
}

export function toEventWire(e: LifecycleEvent): LifecycleEventWire {
  return {
    id: e.id,
    event: e.event,
    mediator: e.mediator,
    data: e.data,
    timestamp: new Date(e.timestamp).toISOString(),
  };
}
