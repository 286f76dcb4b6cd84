import type { DataSource, EntityManager } from 'typeorm';
import { settleOutboxWrites } from './outbox-commits';

const queues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in a transaction. SQLite (better-sqlite3) gives TypeORM one connection, on which a
 * second BEGIN while a transaction is open fails ("cannot start a transaction within a
 * transaction"), so there transactions of one DataSource take turns. MySQL has a pool: one
 * connection per transaction, concurrency is the database's.
 * After a commit that wrote outbox rows the relay is told (see outbox-commits): every writer of
 * lifecycle events goes through here, so none has to nudge the relay itself.
 */
export function transaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (!isSqlite(dataSource)) return tracked(dataSource, work);
  return inTurn(dataSource, () => tracked(dataSource, work));
}

function isSqlite(dataSource: DataSource): boolean {
  return dataSource.options.type === 'better-sqlite3' || dataSource.options.type === 'sqlite';
}

/** Runs `run` after everything queued on this (SQLite) DataSource before it has finished. */
function inTurn<T>(dataSource: DataSource, run: () => Promise<T>): Promise<T> {
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const turn = previous.then(run, run);
  queues.set(
    dataSource,
    turn.catch(() => undefined),
  );
  return turn;
}

async function tracked<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  let used: EntityManager | undefined;
  try {
    const result = await dataSource.transaction((manager) => {
      used = manager;
      return work(manager);
    });
    settleOutboxWrites(dataSource, used, true);
    return result;
  } catch (error) {
    settleOutboxWrites(dataSource, used, false);
    throw error;
  }
}

/**
 * Runs one statement on its own, everywhere without BEGIN and COMMIT around it: one statement is
 * atomic anyway. On SQLite it still takes its turn with the transactions (see transaction()), so
 * it never runs between the statements of an open one; there the transaction it no longer opens
 * cost ≈ 5 % of a send's CPU at 1,000 sends/s (the relay reads after every commit that wrote events).
 */
export function singleStatement<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const run = () => work(dataSource.manager);
  return isSqlite(dataSource) ? inTurn(dataSource, run) : run();
}
