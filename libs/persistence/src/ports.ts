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

/** One recipient's copy of one message. */
export interface DeliverySlot {
  mediator: string;
  messageId: string;
  recipientId: string;
}

/** The redelivery state of an unacknowledged slot, as read (the compare-and-set of its updates). */
export interface DueDelivery extends DeliverySlot {
  status: 'pending' | 'delivered';
  attempts: number;
  /** Epoch ms; null when nothing is scheduled. */
  dueAt: number | null;
}

/** How many recipients' copies of a mediator's messages are in each status. */
export type DeliveryCounts = Record<DeliveryStatus, number>;

/** What a failed attempt leads to: a retry at `dueAt` (epoch ms), or `dead` with its event. */
export type FailureOutcome =
  | { status: 'pending'; dueAt: number }
  | { status: 'dead'; event: LifecycleEvent };

export abstract class MessageRepository extends MessageStore {
  abstract findById(mediator: string, id: string): Promise<StoredMessage | null>;
  /** A colleague's inbox, oldest first; each envelope carries that recipient's status. */
  abstract inbox(
    mediator: string,
    recipientId: string,
    status: DeliveryStatus | undefined,
    page: PageRequest,
  ): Promise<Page<Envelope>>;
  /**
   * Every stored copy of the mediator's messages, one per recipient, by status: a broadcast to
   * three counts three. Copies of colleagues deleted since count too (they stay until the
   * mediator is deleted, and can still be redelivered by message id).
   */
  abstract deliveryCounts(mediator: string): Promise<DeliveryCounts>;
  /**
   * pending or delivered → delivered (a push after the save: a redelivery, a request, a
   * recipient that connected during the save), never from acked or dead. `ackDueAt` (epoch
   * ms) is when the ack becomes overdue; null for a delivery the sweep leaves alone (requests).
   */
  abstract markDelivered(
    mediator: string,
    messageId: string,
    recipientId: string,
    at: Date,
    ackDueAt: number | null,
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

  /** A pending or delivered slot's redelivery state; null when acked, dead or unknown. */
  abstract deliveryState(slot: DeliverySlot): Promise<DueDelivery | null>;
  /** Unacknowledged slots with `due_at <= now`, the earliest first (the redelivery sweep). */
  abstract dueDeliveries(now: number, limit: number): Promise<DueDelivery[]>;
  /**
   * Counts a failed attempt (a refusal or an overdue ack) on a slot still as `seen` (same status
   * and attempts: another instance or an ack did not get there first), and moves it on to
   * `outcome`, with the dead-letter event in the same write where the store has transactions.
   * False when the slot changed meanwhile (nothing written).
   */
  abstract recordFailure(
    seen: DueDelivery,
    error: string,
    outcome: FailureOutcome,
  ): Promise<boolean>;
  /**
   * Moves a pending slot's `due_at` from `seen.dueAt` to `dueAt` (null: wait for a reconnect):
   * the claim that makes one instance push a due retry. False when it changed meanwhile.
   */
  abstract reschedule(seen: DueDelivery, dueAt: number | null): Promise<boolean>;
  /**
   * Puts the message's unacknowledged slots (dead ones too) of `recipientIds` (every recipient
   * when undefined) back to `pending` with no failed attempts; returns the recipients reset.
   */
  abstract resetDeliveries(
    mediator: string,
    messageId: string,
    recipientIds: string[] | undefined,
  ): Promise<string[]>;
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
   * Calls `listener` after every commit that wrote events here: by a store's transaction, the
   * send path's group commit, or `append`. The relay subscribes, so no writer has to tell it.
   * Returns the unsubscribe.
   */
  abstract onCommitted(listener: () => void): () => void;
  /**
   * Takes or renews the relay lease for `holder` (one relay publishes at a time, in order, when
   * several instances share the store); true when `holder` has it for the next `ttlMs`.
   */
  abstract acquireLease(holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (shutdown), so another instance takes over at once. */
  abstract releaseLease(holder: string): Promise<void>;
}
