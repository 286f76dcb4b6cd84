import type {
  DeliveryStatus,
  Envelope,
  JsonValue,
  MediatorKind,
  ReachableRecipients,
  RecipientStatus,
} from '@mediator/core';
import type { AuditEntry, AuditOutcome, Transport } from '../ports';
import type { AuditDocument } from './audit.schema';
import {
  idempotencyValue,
  type MessageDocument,
  type RecipientDocument,
  recipientDocumentId,
} from './message.schema';

export function toEnvelope(doc: MessageDocument, status: DeliveryStatus): Envelope {
  return {
    id: doc._id,
    mediator: doc.mediator,
    kind: doc.kind as MediatorKind,
    type: doc.type,
    senderId: doc.sender_id,
    recipientId: doc.recipient_id ?? null,
    payload: JSON.parse(doc.payload) as JsonValue,
    headers: JSON.parse(doc.headers) as Record<string, string>,
    correlationId: doc.correlation_id ?? null,
    createdAt: new Date(doc.created_at),
    status,
  };
}

export function toMessageDocument(
  e: Envelope,
  recipientIds: string[],
  idempotencyKey: string | undefined,
): MessageDocument {
  return {
    _id: e.id,
    mediator: e.mediator,
    kind: e.kind,
    type: e.type,
    sender_id: e.senderId,
    recipient_id: e.recipientId,
    recipient_ids: recipientIds,
    payload: JSON.stringify(e.payload),
    headers: JSON.stringify(e.headers),
    correlation_id: e.correlationId,
    idempotency_key: idempotencyValue(e.id, idempotencyKey),
    created_at: e.createdAt,
  };
}

/** A new copy: delivered (with its time and ack deadline) when reachable now, else pending. */
export function toNewRecipient(
  e: Envelope,
  recipientId: string,
  reachable: ReachableRecipients | null,
): RecipientDocument {
  const delivered = reachable?.ids.has(recipientId) ?? false;
  return {
    _id: recipientDocumentId(e.id, recipientId),
    message_id: e.id,
    recipient_id: recipientId,
    mediator: e.mediator,
    status: delivered ? 'delivered' : 'pending',
    delivered_at: delivered ? reachable!.at : null,
    acked_at: null,
    attempts: 0,
    due_at: delivered ? reachable!.ackDueAt : null,
    last_error: null,
  };
}

export function toRecipientStatus(doc: RecipientDocument): RecipientStatus {
  return {
    recipientId: doc.recipient_id,
    status: doc.status as DeliveryStatus,
    deliveredAt: doc.delivered_at ? new Date(doc.delivered_at) : null,
    ackedAt: doc.acked_at ? new Date(doc.acked_at) : null,
  };
}

export function toAuditEntry(doc: AuditDocument): AuditEntry {
  return {
    id: doc._id,
    at: new Date(doc.at),
    actor: doc.actor,
    transport: doc.transport as Transport,
    action: doc.action,
    mediator: doc.mediator ?? null,
    target: doc.target ?? null,
    outcome: doc.outcome as AuditOutcome,
    requestId: doc.request_id ?? null,
    details: JSON.parse(doc.details) as Record<string, unknown>,
  };
}

export function toAuditDocument(entry: AuditEntry): AuditDocument {
  return {
    _id: entry.id,
    at: entry.at,
    actor: entry.actor,
    transport: entry.transport,
    action: entry.action,
    mediator: entry.mediator,
    target: entry.target,
    outcome: entry.outcome,
    request_id: entry.requestId,
    details: JSON.stringify(entry.details),
  };
}
