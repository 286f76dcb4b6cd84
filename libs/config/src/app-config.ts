/** The typed configuration of the service (camelCase; the YAML keeps the original snake_case). */
export interface AppConfig {
  name: string;
  version: string;
  maxMediators: number;
  maxColleagues: number;
  /** `timeout`: the longest wait on a caller's behalf; a request's `timeout_ms` may not exceed it. */
  timeoutMs: number;
  /** The wait when a caller names none (request reply, delivery ack): 30 s, or `timeout` if shorter. */
  defaultWaitMs: number;
  retryCount: number;
  /** Notification delivery: backoff between retries, one attempt's timeout, resume sweep. */
  notifications: {
    backoffMs: number;
    maxBackoffMs: number;
    attemptTimeoutMs: number;
    sweepIntervalMs: number;
  };
  /**
   * Redelivery of messages and events refused (`ok: false`) or never acknowledged over Socket.IO:
   * the ack deadline, the backoff before a retry (doubled up to the max), the sweep's period.
   * A delivery fails `retryCount` + 1 times before it is `dead`.
   */
  messaging: {
    ackTimeoutMs: number;
    backoffMs: number;
    maxBackoffMs: number;
    sweepIntervalMs: number;
  };
  /** Workflows: retries per step, the runner's lease (must exceed the longest step), resume sweep. */
  workflows: {
    retryCount: number;
    leaseMs: number;
    stepTimeoutMs: number;
    sweepIntervalMs: number;
  };
  server: {
    host: string;
    port: number;
    bodyLimit: number;
    /** How many objects and arrays a JSON payload may nest (400 VALIDATION_FAILED beyond). */
    maxJsonDepth: number;
    shutdownTimeoutMs: number;
    corsOrigins: string[];
  };
  database: {
    sqlite: { path: string };
    mysql: {
      enabled: boolean;
      host: string;
      port: number;
      username: string;
      password: string;
      database: string;
    };
    mongodb: { enabled: boolean; uri: string; database: string };
    redis: {
      enabled: boolean;
      host: string;
      port: number;
      password: string;
      db: number;
      /** Prefix of every key and pub/sub channel, so deployments can share one Redis. */
      keyPrefix: string;
    };
  };
  cache: {
    enabled: boolean;
    /** memory: in this process (bounded by maxItems); redis: shared by every instance. */
    type: 'memory' | 'redis';
    ttlMs: number;
    maxItems: number;
  };
  messageQueue: {
    enabled: boolean;
    brokers: string[];
    clientId: string;
    groupId: string;
    topics: { commands: string; responses: string; events: string };
    /** Where a command's `kafka_replyTopic` may point: the responses topic plus this allow-list. */
    replyTopics: string[];
    /** SASL towards the broker, for every Kafka client of the service ('none': no SASL). */
    sasl: { mechanism: KafkaSaslMechanism; username: string; password: string };
    /** TLS towards the broker; the files are PEM (ca: the broker's CA, cert+key: client auth). */
    ssl: {
      enabled: boolean;
      caFile: string;
      certFile: string;
      keyFile: string;
      rejectUnauthorized: boolean;
    };
  };
  websocket: {
    /** false: no Socket.IO server at all. */
    enabled: boolean;
    /** server.port: Socket.IO shares the HTTP listener; any other port: its own listener. */
    port: number;
    path: string;
    /** Socket.IO's maxHttpBufferSize: the largest message a client may send. */
    maxMessageBytes: number;
    pingIntervalMs: number;
    pingTimeoutMs: number;
    /** Mediators one socket may subscribe to at once (`*` counts as one). */
    maxSubscriptions: number;
  };
  security: {
    enabled: boolean;
    jwtSecret: string;
    jwtAlgorithm: 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'ES256';
    jwtPublicKey: string;
    jwtIssuer: string;
    jwtAudience: string;
    /** false: no rate limiting on any transport. */
    rateLimitEnabled: boolean;
    rateLimitRequests: number;
    rateLimitWindowMs: number;
    /** The longest lifetime (exp − iat) a token may have; also caps `npm run token --ttl`. */
    tokenExpiryMs: number;
  };
  /**
   * How long finished data is kept (ms; 0 = forever) and how the sweep deletes it: at most
   * `batchSize` rows per statement, `batchPauseMs` between statements. Un-acked messages are
   * never purged.
   */
  retention: {
    ackedMessagesMs: number;
    deadLettersMs: number;
    auditMs: number;
    eventsMs: number;
    jobRunsMs: number;
    finishedTasksMs: number;
    sweepIntervalMs: number;
    batchSize: number;
    batchPauseMs: number;
  };
  monitoring: {
    enabled: boolean;
    port: number;
    path: string;
    /** How often the service's gauges (mediators, colleagues, outbox backlog) are refreshed. */
    collectIntervalMs: number;
  };
  logging: {
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
    format: 'json' | 'pretty';
    /** `stdout`, `stderr` or a file path (appended to, directories created). */
    output: string;
  };
}

export const KAFKA_SASL_MECHANISMS = ['none', 'plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** Injection token of the AppConfig value. */
export const APP_CONFIG = Symbol('APP_CONFIG');
