import { accessSync, constants, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type AppConfig, KAFKA_SASL_MECHANISMS, type KafkaSaslMechanism } from './app-config';
import { parseDuration } from './duration';
import { isProduction, MIN_PRODUCTION_SECRET_BYTES, weakSecretProblem } from './jwt-secret';
import { unknownKeys } from './unknown-keys';

/** Raised for a config that cannot run; its message is the one line printed at start-up. */
export class ConfigError extends Error {}

type Raw = Record<string, unknown>;
type Env = Record<string, string | undefined>;

/** A loaded config and what start-up should warn about (unknown keys). */
export interface LoadedConfig {
  config: AppConfig;
  warnings: string[];
}

/** Reads `CONFIG_FILE` (default `config/config.yaml`), applies env overrides, validates. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  return loadConfigWithWarnings(env, cwd).config;
}

/**
 * loadConfig plus the keys the service does not know. Each is a warning, or with `strict` (the
 * `--strict` flag) or `config.strict: true` in the file, the one-line ConfigError.
 */
export function loadConfigWithWarnings(
  env: Env = process.env,
  cwd = process.cwd(),
  options: { strict?: boolean } = {},
): LoadedConfig {
  const file = resolve(cwd, env.CONFIG_FILE ?? 'config/config.yaml');
  let raw: Raw;
  try {
    raw = (parseYaml(readFileSync(file, 'utf8')) as Raw | null) ?? {};
  } catch (error) {
    throw new ConfigError(
      `config error: cannot read ${file}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`config error: ${file} is not a YAML mapping`);
  applyEnv(raw, env);
  const reader = new Reader(raw);
  const config = buildConfig(reader, isProduction(env));
  const strict = reader.bool('config.strict', false) || options.strict === true;
  const unknown = unknownKeys(raw, reader.known);
  if (strict && unknown.length > 0)
    throw new ConfigError(`config error: ${unknown.join('; ')} (strict mode)`);
  return { config, warnings: unknown.map((w) => `config: ${w}; it is ignored`) };
}

function set(raw: Raw, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = raw;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Raw;
  }
  node[keys[keys.length - 1]] = value;
}

/** The env variables of CONTRACT §1; setting a component's variable switches the component on. */
function applyEnv(raw: Raw, env: Env): void {
  const map: [string, string, boolean?][] = [
    ['PORT', 'server.port'],
    ['METRICS_PORT', 'monitoring.port'],
    ['WEBSOCKET_PORT', 'websocket.port'],
    ['LOG_LEVEL', 'logging.level'],
    ['JWT_SECRET', 'security.jwt_secret'],
    ['SQLITE_PATH', 'database.sqlite.path'],
    ['MYSQL_HOST', 'database.mysql.host', true],
    ['MYSQL_PORT', 'database.mysql.port'],
    ['MYSQL_USERNAME', 'database.mysql.username'],
    ['MYSQL_PASSWORD', 'database.mysql.password'],
    ['MYSQL_DATABASE', 'database.mysql.database'],
    ['MONGODB_URI', 'database.mongodb.uri', true],
    ['MONGODB_DATABASE', 'database.mongodb.database'],
    ['REDIS_HOST', 'database.redis.host', true],
    ['REDIS_PORT', 'database.redis.port'],
    ['REDIS_PASSWORD', 'database.redis.password'],
    ['KAFKA_SASL_MECHANISM', 'message_queue.sasl.mechanism'],
    ['KAFKA_SASL_USERNAME', 'message_queue.sasl.username'],
    ['KAFKA_SASL_PASSWORD', 'message_queue.sasl.password'],
  ];
  for (const [name, path, enables] of map) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    set(raw, path, value);
    if (enables) set(raw, path.replace(/\.[^.]+$/, '.enabled'), true);
  }
  if (env.KAFKA_BROKERS) {
    set(
      raw,
      'message_queue.brokers',
      env.KAFKA_BROKERS.split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    );
    set(raw, 'message_queue.enabled', true);
  }
  if (env.SECURITY_ENABLED) set(raw, 'security.enabled', env.SECURITY_ENABLED);
}

/** Reads typed values out of the raw tree, remembering the first problem. */
class Reader {
  problem?: string;
  /** Every path read, so the keys nobody read can be reported as unknown. */
  readonly known = new Set<string>();
  constructor(private readonly raw: Raw) {}

  private get(path: string): unknown {
    this.known.add(path);
    return this.peek(path);
  }
  /** The value at a path without marking it known (its keys are read one by one). */
  peek(path: string): unknown {
    return path
      .split('.')
      .reduce<unknown>(
        (node, key) => (node && typeof node === 'object' ? (node as Raw)[key] : undefined),
        this.raw,
      );
  }
  private fail<T>(path: string, problem: string, value: unknown, fallback: T): T {
    this.problem ??= `config error: ${path}: ${problem} (got ${JSON.stringify(value)})`;
    return fallback;
  }

  string(path: string, fallback: string, allowed?: readonly string[]): string {
    const value = this.get(path);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' && typeof value !== 'number')
      return this.fail(path, 'must be a string', value, fallback);
    const text = String(value);
    if (allowed && !allowed.includes(text))
      return this.fail(path, `must be one of ${allowed.join(', ')}`, value, fallback);
    return text;
  }
  int(path: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.get(path);
    if (value === undefined || value === null) return fallback;
    const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      return this.fail(path, `must be an integer between ${min} and ${max}`, value, fallback);
    }
    return n;
  }
  bool(path: string, fallback: boolean): boolean {
    const value = this.get(path);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return this.fail(path, 'must be true or false', value, fallback);
  }
  duration(path: string, fallback: number): number {
    const value = this.get(path);
    if (value === undefined || value === null) return fallback;
    const ms = parseDuration(value);
    return ms === undefined
      ? this.fail(path, 'must be a duration like 500ms, 30s, 5m or 24h', value, fallback)
      : ms;
  }
  list(path: string, fallback: string[]): string[] {
    const value = this.get(path);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string')
      return value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      return this.fail(path, 'must be a list of strings', value, fallback);
    return value as string[];
  }
  /**
   * Whether a component section is on: its `enabled` key when given, else whether the section is
   * in the file at all (the original's file has `database.mysql:` etc. without `enabled`).
   */
  section(path: string): boolean {
    const section = this.peek(path);
    return this.bool(`${path}.enabled`, section !== undefined && section !== null);
  }
  require(path: string, ok: boolean, problem: string): void {
    if (!ok) this.fail(path, problem, this.get(path), undefined);
  }
  /** Like require, without echoing the value: for secrets. */
  requireSecret(path: string, ok: boolean, problem: string): void {
    if (!ok) this.problem ??= `config error: ${path}: ${problem}`;
  }
}

const PORT_MAX = 65535;

/** Waits a caller does not choose are this long at most, whatever `timeout` says. */
const DEFAULT_WAIT_MS = 30_000;

function buildConfig(r: Reader, production: boolean): AppConfig {
  const timeoutMs = r.duration('timeout', DEFAULT_WAIT_MS);
  const serverPort = r.int('server.port', 8080, 0, PORT_MAX);
  const bodyLimit = r.int('server.body_limit', 1_048_576, 1);
  const redisEnabled = r.section('database.redis');
  r.string('message_queue.type', 'kafka', ['kafka']); // the one transport, as in the original
  const config: AppConfig = {
    name: r.string('name', 'mediator-service'),
    version: r.string('version', '1.0.0'),
    maxMediators: r.int('max_mediators', 100, 1),
    maxColleagues: r.int('max_colleagues', 1000, 1),
    timeoutMs,
    defaultWaitMs: Math.min(timeoutMs, DEFAULT_WAIT_MS),
    retryCount: r.int('retry_count', 3, 0, 100),
    notifications: {
      backoffMs: r.duration('notifications.backoff', 1_000),
      maxBackoffMs: r.duration('notifications.max_backoff', 60_000),
      attemptTimeoutMs: r.duration('notifications.attempt_timeout', 10_000),
      sweepIntervalMs: r.duration('notifications.sweep_interval', 5_000),
    },
    messaging: {
      // A wait nobody chose: 30 s, or `timeout` when shorter (the original's "30m" would hold an
      // unacked delivery for half an hour).
      ackTimeoutMs: r.duration('messaging.ack_timeout', Math.min(timeoutMs, DEFAULT_WAIT_MS)),
      backoffMs: r.duration('messaging.backoff', 1_000),
      maxBackoffMs: r.duration('messaging.max_backoff', 60_000),
      sweepIntervalMs: r.duration('messaging.sweep_interval', 1_000),
    },
    workflows: {
      retryCount: r.int('workflows.retry_count', 1, 0, 100),
      leaseMs: r.duration('workflows.lease', 60_000),
      stepTimeoutMs: r.duration('workflows.step_timeout', 30_000),
      sweepIntervalMs: r.duration('workflows.sweep_interval', 5_000),
    },
    server: {
      host: r.string('server.host', '0.0.0.0'),
      port: serverPort,
      bodyLimit,
      // Bounded: class-transformer and the stores walk DTO fields recursively.
      maxJsonDepth: r.int('server.max_json_depth', 64, 2, 1000),
      shutdownTimeoutMs: r.duration('server.shutdown_timeout', 10_000),
      corsOrigins: r.list('server.cors_origins', ['*']),
    },
    database: {
      sqlite: { path: r.string('database.sqlite.path', 'data/mediator.sqlite') },
      mysql: {
        enabled: r.section('database.mysql'),
        host: r.string('database.mysql.host', '127.0.0.1'),
        port: r.int('database.mysql.port', 3306, 1, PORT_MAX),
        username: r.string('database.mysql.username', 'mediator'),
        password: r.string('database.mysql.password', ''),
        database: r.string('database.mysql.database', 'mediator'),
      },
      mongodb: {
        enabled: r.section('database.mongodb'),
        uri: r.string('database.mongodb.uri', 'mongodb://127.0.0.1:27017'),
        database: r.string('database.mongodb.database', 'mediator'),
      },
      redis: {
        enabled: redisEnabled,
        host: r.string('database.redis.host', '127.0.0.1'),
        port: r.int('database.redis.port', 6379, 1, PORT_MAX),
        password: r.string('database.redis.password', ''),
        db: r.int('database.redis.db', 0, 0, 15),
        keyPrefix: r.string('database.redis.key_prefix', 'mediator:'),
      },
    },
    cache: readCache(r, redisEnabled),
    messageQueue: {
      enabled: r.bool('message_queue.enabled', false),
      brokers: r.list('message_queue.brokers', ['127.0.0.1:9092']),
      clientId: r.string('message_queue.client_id', 'mediator-service'),
      groupId: r.string('message_queue.group_id', 'mediator-service'),
      topics: readTopics(r),
      replyTopics: [],
      sasl: {
        mechanism: r
          .string('message_queue.sasl.mechanism', 'none')
          .toLowerCase() as KafkaSaslMechanism,
        username: r.string('message_queue.sasl.username', ''),
        password: r.string('message_queue.sasl.password', ''),
      },
      ssl: {
        enabled: r.bool('message_queue.ssl.enabled', false),
        caFile: r.string('message_queue.ssl.ca_file', ''),
        certFile: r.string('message_queue.ssl.cert_file', ''),
        keyFile: r.string('message_queue.ssl.key_file', ''),
        rejectUnauthorized: r.bool('message_queue.ssl.reject_unauthorized', true),
      },
    },
    websocket: {
      enabled: r.bool('websocket.enabled', true),
      port: r.int('websocket.port', serverPort, 0, PORT_MAX),
      path: r.string('websocket.path', '/ws'),
      maxMessageBytes: messageLimit(r, bodyLimit),
      pingIntervalMs: r.duration('websocket.ping_interval', 25_000),
      pingTimeoutMs: r.duration('websocket.ping_timeout', 20_000),
      maxSubscriptions: r.int('websocket.max_subscriptions', 100, 1, 100_000),
    },
    security: {
      enabled: r.bool('security.enabled', true),
      jwtSecret: r.string('security.jwt_secret', ''),
      jwtAlgorithm: r.string('security.jwt_algorithm', 'HS256', [
        'HS256',
        'HS384',
        'HS512',
        'RS256',
        'ES256',
      ]) as AppConfig['security']['jwtAlgorithm'],
      jwtPublicKey: r.string('security.jwt_public_key', ''),
      jwtIssuer: r.string('security.jwt_issuer', ''),
      jwtAudience: r.string('security.jwt_audience', ''),
      rateLimitEnabled: r.bool('security.rate_limit_enabled', true),
      rateLimitRequests: r.int('security.rate_limit_requests', 100, 1),
      rateLimitWindowMs: r.duration('security.rate_limit_window', 60_000),
      tokenExpiryMs: r.duration('security.token_expiry', 86_400_000),
    },
    // Absent or 0 keeps forever (the shipped config files set the documented defaults).
    retention: {
      ackedMessagesMs: r.duration('retention.acked_messages', 0),
      deadLettersMs: r.duration('retention.dead_letters', 0),
      auditMs: r.duration('retention.audit', 0),
      eventsMs: r.duration('retention.events', 0),
      jobRunsMs: r.duration('retention.job_runs', 0),
      finishedTasksMs: r.duration('retention.finished_tasks', 0),
      sweepIntervalMs: r.duration('retention.sweep_interval', 60_000),
      batchSize: r.int('retention.batch_size', 1000, 1, 10_000),
      batchPauseMs: r.duration('retention.batch_pause', 100),
    },
    monitoring: {
      enabled: r.bool('monitoring.enabled', true),
      port: r.int('monitoring.port', 9090, 0, PORT_MAX),
      path: r.string('monitoring.path', '/metrics'),
      collectIntervalMs: r.duration('monitoring.collect_interval', 5_000),
    },
    logging: {
      level: r.string('logging.level', 'info', [
        'trace',
        'debug',
        'info',
        'warn',
        'error',
        'fatal',
        'silent',
      ]) as AppConfig['logging']['level'],
      format: r.string('logging.format', 'json', [
        'json',
        'pretty',
      ]) as AppConfig['logging']['format'],
      output: r.string('logging.output', 'stdout'),
    },
  };
  const s = config.security;
  if (s.enabled && s.jwtAlgorithm.startsWith('HS')) {
    r.requireSecret(
      'security.jwt_secret',
      s.jwtSecret.length > 0,
      'is required when security is enabled (set JWT_SECRET)',
    );
    // Outside production a weak secret only warns (weakSecretWarning), so the original's
    // examples still start; a deployment must not sign with a value anyone can read.
    const weak = production ? weakSecretProblem(s.jwtSecret) : undefined;
    r.requireSecret(
      'security.jwt_secret',
      weak === undefined,
      `${weak}; NODE_ENV=production needs ${MIN_PRODUCTION_SECRET_BYTES}+ random bytes ` +
        '(set JWT_SECRET, e.g. openssl rand -base64 48)',
    );
  }
  r.require('security.token_expiry', s.tokenExpiryMs >= 1000, 'must be at least 1s');
  if (s.enabled && !s.jwtAlgorithm.startsWith('HS')) {
    r.require(
      'security.jwt_public_key',
      s.jwtPublicKey.length > 0,
      `is required for ${s.jwtAlgorithm}`,
    );
  }
  r.require(
    'retention.sweep_interval',
    config.retention.sweepIntervalMs >= 100,
    'must be at least 100ms',
  );
  const m = config.messaging;
  r.require('messaging.ack_timeout', m.ackTimeoutMs >= 100, 'must be at least 100ms');
  r.require('messaging.sweep_interval', m.sweepIntervalMs >= 100, 'must be at least 100ms');
  r.require('messaging.max_backoff', m.maxBackoffMs >= m.backoffMs, 'must not be below backoff');
  r.require('websocket.path', config.websocket.path.startsWith('/'), 'must start with /');
  r.require('timeout', timeoutMs >= 1, 'must be at least 1ms');
  r.require(
    'monitoring.collect_interval',
    config.monitoring.collectIntervalMs >= 100,
    'must be at least 100ms',
  );
  r.require(
    'logging.output',
    config.logging.output.trim() !== '',
    'must be stdout, stderr or a file path',
  );
  r.require(
    'websocket.port',
    config.websocket.port === serverPort ||
      !config.monitoring.enabled ||
      config.websocket.port !== config.monitoring.port,
    'must differ from monitoring.port',
  );
  r.require('monitoring.path', config.monitoring.path.startsWith('/'), 'must start with /');
  r.require(
    'message_queue.brokers',
    !config.messageQueue.enabled || config.messageQueue.brokers.length > 0,
    'must list at least one broker',
  );
  checkMessageQueue(r, config.messageQueue);
  if (r.problem) throw new ConfigError(r.problem);
  return config;
}

/**
 * `cache.max_size` is the original's name of `cache.max_items` (either may be given, not both
 * with different values). `cache.type` defaults to redis when Redis is configured.
 */
function readCache(r: Reader, redisEnabled: boolean): AppConfig['cache'] {
  const maxSize = r.int('cache.max_size', 10_000, 1);
  const maxItems = r.int('cache.max_items', maxSize, 1);
  r.require(
    'cache.max_size',
    maxSize === maxItems || r.peek('cache.max_size') === undefined,
    `and cache.max_items name the same limit: give one (got ${maxSize} and ${maxItems})`,
  );
  const type = r.string('cache.type', redisEnabled ? 'redis' : 'memory', ['memory', 'redis']);
  r.require(
    'cache.type',
    type !== 'redis' || redisEnabled,
    'redis needs Redis configured (a database.redis section or REDIS_HOST)',
  );
  return {
    enabled: r.bool('cache.enabled', true),
    type: type as AppConfig['cache']['type'],
    ttlMs: r.duration('cache.ttl', 300_000),
    maxItems,
  };
}

const TOPIC_ROLES = ['events', 'commands', 'responses'] as const;

/**
 * `message_queue.topics` as today's map (`commands`, `responses`, `events`) or as the original's
 * list, read in the order events, commands, responses: `["mediator-events"]` names the events
 * topic and keeps the default commands and responses topics.
 */
function readTopics(r: Reader): AppConfig['messageQueue']['topics'] {
  const topics = {
    commands: 'mediator-commands',
    responses: 'mediator-responses',
    events: 'mediator-events',
  };
  const value = r.peek('message_queue.topics');
  if (Array.isArray(value)) {
    const list = r.list('message_queue.topics', []);
    r.require(
      'message_queue.topics',
      list.length >= 1 && list.length <= 3 && new Set(list).size === list.length,
      'as a list names 1 to 3 different topics: events, then commands, then responses',
    );
    list.slice(0, 3).forEach((topic, i) => (topics[TOPIC_ROLES[i]] = topic));
    return topics;
  }
  for (const role of TOPIC_ROLES)
    topics[role] = r.string(`message_queue.topics.${role}`, topics[role]);
  return topics;
}

/**
 * Socket.IO has one message limit, maxHttpBufferSize, on what a client sends. The original's
 * `read_buffer_size`/`write_buffer_size` set it: the larger of the two, so neither direction is
 * narrower than configured. Without them it is `server.body_limit`, as for a REST body.
 */
function messageLimit(r: Reader, bodyLimit: number): number {
  const read = r.int('websocket.read_buffer_size', 0, 1, 1 << 30);
  const write = r.int('websocket.write_buffer_size', 0, 1, 1 << 30);
  return read === 0 && write === 0 ? bodyLimit : Math.max(read, write);
}

/**
 * The Kafka client's security settings and reply topics. The responses topic is always an allowed
 * reply topic; the commands and events topics never are (a reply there would be read as a command
 * or as a lifecycle event).
 */
function checkMessageQueue(r: Reader, mq: AppConfig['messageQueue']): void {
  const { commands, responses, events } = mq.topics;
  const extra = r.list('message_queue.reply_topics', []);
  r.require(
    'message_queue.reply_topics',
    !extra.includes(commands) && !extra.includes(events),
    `must not name the commands or events topic (${commands}, ${events})`,
  );
  mq.replyTopics = [...new Set([responses, ...extra])];

  const { mechanism, username, password } = mq.sasl;
  r.require(
    'message_queue.sasl.mechanism',
    (KAFKA_SASL_MECHANISMS as readonly string[]).includes(mechanism),
    `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')} (or set KAFKA_SASL_MECHANISM)`,
  );
  if (mechanism !== 'none') {
    r.require(
      'message_queue.sasl.username',
      username !== '',
      `is required with SASL ${mechanism} (set KAFKA_SASL_USERNAME)`,
    );
    r.require(
      'message_queue.sasl.password',
      password !== '',
      `is required with SASL ${mechanism} (set KAFKA_SASL_PASSWORD)`,
    );
  }

  const files: [string, string][] = [
    ['message_queue.ssl.ca_file', mq.ssl.caFile],
    ['message_queue.ssl.cert_file', mq.ssl.certFile],
    ['message_queue.ssl.key_file', mq.ssl.keyFile],
  ];
  for (const [path, file] of files) {
    if (file === '') continue;
    r.require(path, mq.ssl.enabled, 'is set but message_queue.ssl.enabled is false');
    r.require(path, isReadable(file), 'is not a readable file');
  }
  r.require(
    'message_queue.ssl.cert_file',
    (mq.ssl.certFile === '') === (mq.ssl.keyFile === ''),
    'and message_queue.ssl.key_file go together (TLS client authentication needs both)',
  );
}

function isReadable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
