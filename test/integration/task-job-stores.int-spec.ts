// The task and job store contract against MariaDB/MySQL (FOR UPDATE SKIP LOCKED, unique tick key).
import { taskJobStoreContract, taskJobStores } from '../contract/task-job-stores.contract';
import type { Harness } from '../contract/harness';
import type { TaskJobStores } from '../contract/task-job-stores.contract';
import { sqlOptions } from '../contract/stores';
import { createConnection } from 'mysql2/promise';
import { mysqlServer } from './support/servers';

// A database of its own, so other suites on the same server cannot disturb the outbox counts.
const DATABASE = `mediator_tj_${Date.now().toString(36)}`;

/** Resolves the server in beforeAll, so a missing one fails the suite. */
function onMysql(): Harness<TaskJobStores> {
  let inner: Harness<TaskJobStores> | undefined;
  let drop = async () => undefined as void;
  return {
    async open() {
      const server = await mysqlServer();
      const login = {
        host: server.host,
        port: server.port,
        user: server.username,
        password: server.password,
      };
      const admin = await createConnection(login);
      await admin.query(`CREATE DATABASE ${DATABASE}`);
      await admin.end();
      drop = async () => {
        const c = await createConnection(login);
        await c.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
        await c.end();
      };
      inner = taskJobStores(
        sqlOptions({
          sqlite: { path: ':memory:' },
          mysql: {
            enabled: true,
            host: server.host,
            port: server.port,
            username: server.username,
            password: server.password,
            database: DATABASE,
          },
        }),
      );
      return inner.open();
    },
    clean: () => inner!.clean(),
    close: async () => {
      await inner?.close();
      await drop();
    },
  };
}

describe('MySQL/MariaDB', () => {
  taskJobStoreContract(onMysql());
});
