import type { ColleagueInfo, Envelope, MediatorInfo } from './model';

/** A lifecycle event (CONTRACT §5): stored with the change that caused it, then published. */
export interface LifecycleEvent {
  id: string;
  event: string;
  mediator: string;
  data: unknown;
  timestamp: Date;
}

/** Where named mediators live. `create` must fail with MediatorExistsError on a duplicate name. */
export abstract class MediatorStore {
  abstract count(): Promise<number>;
  abstract find(name: string): Promise<MediatorInfo | null>;
  abstract create(mediator: MediatorInfo, event: LifecycleEvent): Promise<MediatorInfo>;
  abstract update(mediator: MediatorInfo, event: LifecycleEvent): Promise<MediatorInfo>;
  abstract remove(name: string, event: LifecycleEvent): Promise<boolean>;
}

/** The colleagues of each mediator. `add` must fail with ColleagueExistsError on a duplicate id. */
export abstract class ColleagueDirectory {
  abstract find(mediator: string, id: string): Promise<ColleagueInfo | null>;
  abstract listActive(mediator: string): Promise<ColleagueInfo[]>;
  abstract count(mediator: string): Promise<number>;
  /**
   * Adds the colleague unless its mediator already has `limit` colleagues
   * (MaxColleaguesReachedError): the check and the insert are one atomic step in the store,
   * so concurrent registrations on several instances cannot exceed the limit.
   */
  abstract add(
    colleague: ColleagueInfo,
    event: LifecycleEvent,
    limit?: number,
  ): Promise<ColleagueInfo>;
  abstract update(colleague: ColleagueInfo, event: LifecycleEvent): Promise<ColleagueInfo>;
  abstract remove(mediator: string, id: string, event: LifecycleEvent): Promise<boolean>;
}

/**
 * The recipients a push can reach now, found before the save (DeliveryPort.reachableRecipients):
 * the save stores their copies as `delivered` already, so the push after the commit writes
 * nothing first.
 */
export interface ReachableRecipients {
  ids: ReadonlySet<string>;
  /** Their delivered time. */
  at: Date;
  /** Epoch ms when an unacked push is overdue (the redelivery sweep); null for a request. */
  ackDueAt: number | null;
}

/** Messages and their per-recipient status. Saving stores the envelope and its event together. */
export abstract class MessageStore {
  abstract findByIdempotencyKey(
    mediator: string,
    senderId: string,
    key: string,
  ): Promise<Envelope | null>;
  /**
   * Stores the envelope, one status per recipient and the lifecycle event (`null` when the
   * change's event is stored elsewhere, e.g. an event's deliveries: `event_published` goes with
   * the event history), in one commit. The copies of `reachable`'s recipients are stored as
   * `delivered` (with its time and ack deadline), the others as `pending`. Returns the stored
   * envelope; when `idempotencyKey` was already used by the same sender, returns the first
   * envelope and `created: false` without storing anything.
   */
  abstract save(
    envelope: Envelope,
    recipientIds: string[],
    idempotencyKey: string | undefined,
    event: LifecycleEvent | null,
    reachable?: ReachableRecipients | null,
  ): Promise<{ envelope: Envelope; created: boolean }>;
}

/**
 * Pushes stored envelopes. `reachableRecipients` runs before the save and `deliver` after its
 * commit, so the delivered status of a push is part of the message's own commit: a recipient
 * holding a pushed envelope can always read it as delivered.
 */
export abstract class DeliveryPort {
  /** The recipients that can be pushed to now, with their delivered time; null when none. */
  abstract reachableRecipients(
    envelope: Envelope,
    recipientIds: string[],
  ): Promise<ReachableRecipients | null>;
  /**
   * Pushes the committed envelope to `reachable`'s recipients, and to those of `recipientIds`
   * that came online since (their copies are pending). Never throws for offline ones.
   */
  abstract deliver(
    envelope: Envelope,
    recipientIds: string[],
    reachable: ReachableRecipients | null,
  ): Promise<void>;
}

/**
 * Where domain time comes from: timestamps, due times, sweeps' "now". An abstract class (like the
 * other ports) so the service can inject it by this name; tests pass a ManualClock.
 */
export abstract class Clock {
  abstract now(): Date;
}

export interface IdGenerator {
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Delivers a request (command, query, notification, workflow step, …) to one handler and
 * returns its reply. In process that is the colleague's return value; in the service, the
 * Socket.IO ack or a REST reply matched by correlation id (see PendingReplies).
 * The core enforces the timeout, then calls `cancel` so the adapter can forget the request.
 */
export abstract class RequestPort {
  /** The subset of `handlerIds` that can take a request now (connected, online). */
  abstract reachable(mediator: string, handlerIds: string[]): Promise<string[]>;
  /** Resolves with the reply; rejects with the MediatorError the handler answered with. */
  abstract request(envelope: Envelope, handlerId: string): Promise<unknown>;
  /** The core stopped waiting (timeout): a reply that still comes is dropped. */
  cancel(_envelope: Envelope): void {}
}

/** Lifecycle events that are not part of a stored change (e.g. command_completed). */
export abstract class LifecycleEventPublisher {
  abstract publish(event: LifecycleEvent): Promise<void>;
}
