import { Logger } from '@nestjs/common';
import { type KafkaConfig, type logCreator, logLevel, Partitioners } from 'kafkajs';
import type { AppConfig } from '@mediator/config';

type MessageQueue = AppConfig['messageQueue'];

/**
 * Client settings shared by the command server and the event producer. Short connection and
 * retry timings: both have their own reconnect loop, so a broker that is down fails fast here.
 */
export function kafkaClientConfig(mq: MessageQueue, suffix: string): KafkaConfig {
  return {
    clientId: `${mq.clientId}${suffix}`,
    brokers: mq.brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 200, maxRetryTime: 2000, retries: 3 },
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
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
