// The event store contract on MariaDB/MySQL (TypeORM mysql, the service's migrations), in a
// database of its own that is dropped at the end.
import { createConnection } from 'mysql2/promise';
import { eventStoreContract, eventStores } from '../contract/event-store.contract';
import { sqlOptions } from '../contract/stores';
import { mysqlServer } from './support/servers';

const DATABASE = `mediator_events_${Date.now().toString(36)}`;

async function admin<T>(work: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>) {
  const server = await mysqlServer();
  const connection = await createConnection({
    host: server.host,
    port: server.port,
    user: server.username,
    password: server.password,
  });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

afterAll(() => admin((c) => c.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``)));

describe('MySQL/MariaDB event store', () => {
  eventStoreContract(
    eventStores(async () => {
      const server = await mysqlServer();
      await admin((c) => c.query(`CREATE DATABASE IF NOT EXISTS \`${DATABASE}\``));
      return sqlOptions({
        sqlite: { path: ':memory:' },
        mysql: {
          enabled: true,
          host: server.host,
          port: server.port,
          username: server.username,
          password: server.password,
          database: DATABASE,
        },
      });
    }),
  );
});
