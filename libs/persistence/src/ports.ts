import {
  ColleagueDirectory,
  type ColleagueInfo,
  type DeliveryStatus,
  type Envelope,
  type LifecycleEvent,
  MediatorStore,
  type MediatorInfo,
  MessageStore,
  type RecipientStatus,
} from '@mediator/core';
import type { Page, PageRequest } from './pagination';

/** The service's ports: the core's, plus the queries that only the service needs. */
export abstract class MediatorRepository extends MediatorStore {
  abstract list(page: PageRequest): Promise<Page<MediatorInfo>>;
}

export abstract class ColleagueRepository extends ColleagueDirectory {
  abstract list(mediator: string, page: PageRequest, type?: string): Promise<Page<ColleagueInfo>>;
}

export interface StoredMessage {
  envelope: Envelope;
  recipients: RecipientStatus[];
}

export abstract class MessageRepository extends MessageStore {
  abstract findById(mediator: string, id: string): Promise<StoredMessage | null>;
  /** A colleague's inbox, oldest first; each envelope carries that recipient's status. */
  abstract inbox(
    mediator: string,
    recipientId: string,
    status: DeliveryStatus | undefined,
    page: PageRequest,
  ): Promise<Page<Envelope>>;
  /** pending → delivered (no change when already delivered or acked). */
  abstract markDelivered(
    mediator: string,
    messageId: string,
    recipientId: string,
    at: Date,
  ): Promise<void>;
  /** Sets `acked`; false when that recipient has no such message. */
  abstract ack(
    mediator: string,
    messageId: string,
    recipientId: string,
    at: Date,
  ): Promise<boolean>;
  /** Unacknowledged deliveries of one recipient, oldest first (redelivery on reconnect). */
  abstract unacked(mediator: string, recipientId: string, limit: number): Promise<Envelope[]>;
}

export type AuditOutcome = 'ok' | 'denied' | 'error';
export type Transport = 'http' | 'ws' | 'kafka';

export interface AuditEntry {
  id: string;
  at: Date;
  actor: string;
  transport: Transport;
  action: string;
  mediator: string | null;
  target: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  mediator?: string;
  actor?: string;
  action?: string;
  since?: Date;
  until?: Date;
}

export abstract class AuditRepository {
  abstract append(entries: AuditEntry[]): Promise<void>;
  abstract query(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
}

export interface OutboxRecord extends LifecycleEvent {
  seq: string;
}

export abstract class OutboxRepository {
  /** For changes outside a SQL transaction (e.g. messages kept in MongoDB). */
  abstract append(event: LifecycleEvent): Promise<void>;
  abstract next(limit: number): Promise<OutboxRecord[]>;
  abstract remove(seqs: string[]): Promise<void>;
  abstract pendingCount(): Promise<number>;
  /**
   * Takes or renews the relay lease for `holder` (one relay publishes at a time, in order, when
   * several instances share the store); true when `holder` has it for the next `ttlMs`.
   */
  abstract acquireLease(holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (shutdown), so another instance takes over at once. */
  abstract releaseLease(holder: string): Promise<void>;
}
