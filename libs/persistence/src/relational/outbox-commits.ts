import type { DataSource, EntityManager } from 'typeorm';

/** Called after a commit that wrote outbox rows: there is something for the relay to publish. */
export type OutboxCommitListener = () => void;

/** Transactions (their EntityManager) that wrote outbox rows and have not finished yet. */
const wroteOutbox = new WeakSet<EntityManager>();
const listeners = new WeakMap<DataSource, Set<OutboxCommitListener>>();

/** Notes that this transaction wrote outbox rows; `transaction()` tells the listeners once it commits. */
export function markOutboxWritten(manager: EntityManager): void {
  wroteOutbox.add(manager);
}

/**
 * Ends the bookkeeping of one transaction. The listeners hear only of committed rows: a rolled
 * back transaction wrote nothing the relay could read.
 */
export function settleOutboxWrites(
  dataSource: DataSource,
  manager: EntityManager | undefined,
  committed: boolean,
): void {
  if (!manager || !wroteOutbox.delete(manager) || !committed) return;
  for (const listener of listeners.get(dataSource) ?? []) listener();
}

/** Subscribes to the commits of outbox rows on this database; returns the unsubscribe. */
export function onOutboxCommitted(
  dataSource: DataSource,
  listener: OutboxCommitListener,
): () => void {
  let subscribed = listeners.get(dataSource);
  if (!subscribed) listeners.set(dataSource, (subscribed = new Set()));
  subscribed.add(listener);
  return () => void subscribed.delete(listener);
}
