import { Socket } from 'node:net';

/**
 * Where the real servers are, from the variables `eval "$(deploy/local/up.sh)"` exports (the same
 * ones the service reads). A missing variable or a server that does not answer throws with a
 * message saying what to start: integration tests fail, never skip, without their servers.
 */
const HOW = 'start the servers with: eval "$(deploy/local/up.sh)"';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`integration tests need ${name} in the environment; ${HOW}`);
  return value;
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}=${raw} is not a port`);
  return value;
}

/** Resolves when host:port accepts a TCP connection; throws naming the server otherwise. */
export async function assertReachable(
  what: string,
  host: string,
  tcpPort: number,
  timeoutMs = 3000,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = new Socket();
    const fail = (reason: string) => {
      socket.destroy();
      reject(new Error(`${what} is not reachable at ${host}:${tcpPort} (${reason}); ${HOW}`));
    };
    socket.setTimeout(timeoutMs, () => fail('timeout'));
    socket.once('error', (error) => fail(error.message));
    socket.connect(tcpPort, host, () => {
      socket.end();
      resolve();
    });
  });
}

export interface MysqlServer {
  host: string;
  port: number;
  username: string;
  password: string;
  /** The service's database; tests use `testDatabase`. */
  database: string;
  testDatabase: string;
}

export async function mysqlServer(): Promise<MysqlServer> {
  const server = {
    host: required('MYSQL_HOST'),
    port: port('MYSQL_PORT', 3306),
    username: required('MYSQL_USERNAME'),
    password: process.env.MYSQL_PASSWORD ?? '',
    database: required('MYSQL_DATABASE'),
    testDatabase: process.env.MYSQL_TEST_DATABASE || 'mediator_test',
  };
  await assertReachable('MySQL/MariaDB', server.host, server.port);
  return server;
}

export interface MongoServer {
  uri: string;
  /** A database name of its own for this run (dropped by the suite that uses it). */
  uniqueDatabase(prefix: string): string;
}

export async function mongoServer(): Promise<MongoServer> {
  const uri = required('MONGODB_URI');
  const { hostname, port: p } = new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:'));
  await assertReachable('MongoDB (FerretDB)', hostname, Number(p || 27017));
  return {
    uri,
    uniqueDatabase: (prefix) =>
      `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`,
  };
}

export interface RedisServer {
  host: string;
  port: number;
}

export async function redisServer(): Promise<RedisServer> {
  const server = { host: required('REDIS_HOST'), port: port('REDIS_PORT', 6379) };
  await assertReachable('Redis', server.host, server.port);
  return server;
}

export interface KafkaServer {
  brokers: string[];
}

export async function kafkaServer(): Promise<KafkaServer> {
  const brokers = required('KAFKA_BROKERS')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    const [host, p] = broker.split(':');
    await assertReachable('Kafka', host, Number(p || 9092));
  }
  return { brokers };
}

export interface KafkaSaslListener {
  brokers: string[];
  username: string;
  password: string;
}

/** The local broker's SASL_PLAINTEXT listener (PLAIN) and its test user, from deploy/local/up.sh. */
export async function kafkaSaslListener(): Promise<KafkaSaslListener> {
  const brokers = required('KAFKA_TEST_SASL_BROKERS')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    const [host, p] = broker.split(':');
    await assertReachable('the Kafka SASL listener', host, Number(p));
  }
  return {
    brokers,
    username: required('KAFKA_TEST_SASL_USERNAME'),
    password: required('KAFKA_TEST_SASL_PASSWORD'),
  };
}
