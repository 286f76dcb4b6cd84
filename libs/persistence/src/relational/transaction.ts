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
  if (dataSource.options.type !== 'better-sqlite3' && dataSource.options.type !== 'sqlite')
    return tracked(dataSource, work);
  const previous = queues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(
    () => tracked(dataSource, work),
    () => tracked(dataSource, work),
  );
  queues.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
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
 * Runs one statement: on SQLite in turn with the transactions (see transaction()), elsewhere on
 * its own, as one statement is atomic anyway: no BEGIN and COMMIT round trips around it.
 */
export function singleStatement<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (dataSource.options.type === 'better-sqlite3' || dataSource.options.type === 'sqlite')
    return transaction(dataSource, work);
  return work(dataSource.manager);
}
