import {
  type DeliveryStatus,
  type Envelope,
  type JsonValue,
  type MediatorKind,
  type RecipientStatus,
} from '@mediator/core';
import type { AuditEntry, AuditOutcome, Transport } from '../ports';
import type { AuditEntity, MessageEntity, MessageRecipientEntity } from './entities';

export function toEnvelope(row: MessageEntity, status: DeliveryStatus): Envelope {
  return {
    id: row.id,
    mediator: row.mediator,
    kind: row.kind as MediatorKind,
    type: row.type,
    senderId: row.senderId,
    recipientId: row.recipientId,
    payload: JSON.parse(row.payload) as JsonValue,
    headers: JSON.parse(row.headers) as Record<string, string>,
    correlationId: row.correlationId,
    createdAt: new Date(row.createdAt),
    status,
  };
}

export function toMessageRow(e: Envelope, idempotencyKey: string | undefined): MessageEntity {
  return {
    id: e.id,
    mediator: e.mediator,
    kind: e.kind,
    type: e.type,
    senderId: e.senderId,
    recipientId: e.recipientId,
    payload: JSON.stringify(e.payload),
    headers: JSON.stringify(e.headers),
    correlationId: e.correlationId,
    idempotencyKey: idempotencyKey ?? null,
    createdAt: e.createdAt,
  };
}

export function toRecipientStatus(row: MessageRecipientEntity): RecipientStatus {
  return {
    recipientId: row.recipientId,
    status: row.status as DeliveryStatus,
    deliveredAt: row.deliveredAt ? new Date(row.deliveredAt) : null,
    ackedAt: row.ackedAt ? new Date(row.ackedAt) : null,
  };
}

export function toAuditEntry(row: AuditEntity): AuditEntry {
  return {
    id: row.id,
    at: new Date(row.at),
    actor: row.actor,
    transport: row.transport as Transport,
    action: row.action,
    mediator: row.mediator,
    target: row.target,
    outcome: row.outcome as AuditOutcome,
    requestId: row.requestId,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

export function toAuditRow(entry: AuditEntry): AuditEntity {
  return { ...entry, details: JSON.stringify(entry.details) };
}
