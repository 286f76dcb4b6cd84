import { accessSync, constants, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type AppConfig, KAFKA_SASL_MECHANISMS, type KafkaSaslMechanism } from './app-config';
import { parseDuration } from './duration';
import { isProduction, MIN_PRODUCTION_SECRET_BYTES, weakSecretProblem } from './jwt-secret';

/** Raised for a config that cannot run; its message is the one line printed at start-up. */
export class ConfigError extends Error {}

type Raw = Record<string, unknown>;
type Env = Record<string, string | undefined>;

/** Reads `CONFIG_FILE` (default `config/config.yaml`), applies env overrides, validates. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
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
  return buildConfig(raw, isProduction(env));
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
  constructor(private readonly raw: Raw) {}

  private get(path: string): unknown {
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
  require(path: string, ok: boolean, problem: string): void {
    if (!ok) this.fail(path, problem, this.get(path), undefined);
  }
  /** Like require, without echoing the value: for secrets. */
  requireSecret(path: string, ok: boolean, problem: string): void {
    if (!ok) this.problem ??= `config error: ${path}: ${problem}`;
  }
}

const PORT_MAX = 65535;

function buildConfig(raw: Raw, production: boolean): AppConfig {
  const r = new Reader(raw);
  const config: AppConfig = {
    name: r.string('name', 'mediator-service'),
    version: r.string('version', '1.0.0'),
    maxMediators: r.int('max_mediators', 100, 1),
    maxColleagues: r.int('max_colleagues', 1000, 1),
    timeoutMs: r.duration('timeout', 30_000),
    retryCount: r.int('retry_count', 3, 0, 100),
    notifications: {
      backoffMs: r.duration('notifications.backoff', 1_000),
      maxBackoffMs: r.duration('notifications.max_backoff', 60_000),
      attemptTimeoutMs: r.duration('notifications.attempt_timeout', 10_000),
      sweepIntervalMs: r.duration('notifications.sweep_interval', 5_000),
    },
    workflows: {
      retryCount: r.int('workflows.retry_count', 1, 0, 100),
      leaseMs: r.duration('workflows.lease', 60_000),
      stepTimeoutMs: r.duration('workflows.step_timeout', 30_000),
      sweepIntervalMs: r.duration('workflows.sweep_interval', 5_000),
    },
    server: {
      host: r.string('server.host', '0.0.0.0'),
      port: r.int('server.port', 8080, 0, PORT_MAX),
      bodyLimit: r.int('server.body_limit', 1_048_576, 1),
      // Bounded: class-transformer and the stores walk DTO fields recursively.
      maxJsonDepth: r.int('server.max_json_depth', 64, 2, 1000),
      shutdownTimeoutMs: r.duration('server.shutdown_timeout', 10_000),
      corsOrigins: r.list('server.cors_origins', ['*']),
    },
    database: {
      sqlite: { path: r.string('database.sqlite.path', 'data/mediator.sqlite') },
      mysql: {
        enabled: r.bool('database.mysql.enabled', false),
        host: r.string('database.mysql.host', '127.0.0.1'),
        port: r.int('database.mysql.port', 3306, 1, PORT_MAX),
        username: r.string('database.mysql.username', 'mediator'),
        password: r.string('database.mysql.password', ''),
        database: r.string('database.mysql.database', 'mediator'),
      },
      mongodb: {
        enabled: r.bool('database.mongodb.enabled', false),
        uri: r.string('database.mongodb.uri', 'mongodb://127.0.0.1:27017'),
        database: r.string('database.mongodb.database', 'mediator'),
      },
      redis: {
        enabled: r.bool('database.redis.enabled', false),
        host: r.string('database.redis.host', '127.0.0.1'),
        port: r.int('database.redis.port', 6379, 1, PORT_MAX),
        password: r.string('database.redis.password', ''),
        db: r.int('database.redis.db', 0, 0, 15),
        keyPrefix: r.string('database.redis.key_prefix', 'mediator:'),
      },
    },
    cache: {
      enabled: r.bool('cache.enabled', true),
      ttlMs: r.duration('cache.ttl', 300_000),
      maxItems: r.int('cache.max_items', 10_000, 1),
    },
    messageQueue: {
      enabled: r.bool('message_queue.enabled', false),
      brokers: r.list('message_queue.brokers', ['127.0.0.1:9092']),
      clientId: r.string('message_queue.client_id', 'mediator-service'),
      groupId: r.string('message_queue.group_id', 'mediator-service'),
      topics: {
        commands: r.string('message_queue.topics.commands', 'mediator-commands'),
        responses: r.string('message_queue.topics.responses', 'mediator-responses'),
        events: r.string('message_queue.topics.events', 'mediator-events'),
      },
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
      path: r.string('websocket.path', '/ws'),
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
  r.require('websocket.path', config.websocket.path.startsWith('/'), 'must start with /');
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
