import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import {
  type KafkaConfig,
  type logCreator,
  logLevel,
  Partitioners,
  type SASLOptions,
} from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import type { AppConfig } from '@mediator/config';

type MessageQueue = AppConfig['messageQueue'];

/**
 * Client settings shared by the command server, the event producer and the health probe (so all
 * three log in with the same SASL identity and TLS settings). Short connection and retry timings:
 * each has its own reconnect loop, so a broker that is down fails fast here.
 */
export function kafkaClientConfig(mq: MessageQueue, suffix: string): KafkaConfig {
  return {
    clientId: `${mq.clientId}${suffix}`,
    brokers: mq.brokers,
    ...(mq.ssl.enabled ? { ssl: tlsOptions(mq.ssl) } : {}),
    ...(mq.sasl.mechanism !== 'none' ? { sasl: saslOptions(mq.sasl) } : {}),
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 200, maxRetryTime: 2000, retries: 3 },
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
  };
}

function saslOptions(sasl: MessageQueue['sasl']): SASLOptions {
  const mechanism = sasl.mechanism as Exclude<typeof sasl.mechanism, 'none'>;
  return { mechanism, username: sasl.username, password: sasl.password };
}

/** The PEM files are read once here, at start-up (load-config checked that they are readable). */
function tlsOptions(ssl: MessageQueue['ssl']): ConnectionOptions {
  const pem = (file: string) => (file ? readFileSync(file, 'utf8') : undefined);
  return {
    rejectUnauthorized: ssl.rejectUnauthorized,
    ca: pem(ssl.caFile),
    cert: pem(ssl.certFile),
    key: pem(ssl.keyFile),
  };
}

/** kafkajs logs through the service's logger (structured JSON), not its own console lines. */
const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ namespace, level, log: { message, ...fields } }) => {
    const entry = { namespace, ...fields };
    if (level === logLevel.ERROR) logger.error(entry, message);
    else if (level === logLevel.WARN) logger.warn(entry, message);
    else logger.debug(entry, message);
  };
};

/** Latency over throughput: the broker answers a fetch after at most this long. */
export const FETCH_MAX_WAIT_MS = 50;

/** kafkajs's default partitioner, named explicitly (silences its v2 migration warning). */
export const PARTITIONER = Partitioners.DefaultPartitioner;
