import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, loadConfigWithWarnings } from './load-config';

const ROOT = join(__dirname, '..', '..', '..');
const ORIGINAL = join(ROOT, 'test', 'fixtures', 'original-config.yaml');

/** Loads a YAML text (JSON is YAML) written to a temporary file. */
function loadText(text: string, env: Record<string, string> = {}, strict = false) {
  const dir = mkdtempSync(join(tmpdir(), 'config-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, text);
  return loadConfigWithWarnings({ CONFIG_FILE: file, JWT_SECRET: 'k'.repeat(40), ...env }, dir, {
    strict,
  });
}

function problemOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe("the original service's config.yaml, verbatim", () => {
  const { config, warnings } = loadConfigWithWarnings({ CONFIG_FILE: ORIGINAL }, ROOT);

  it('is config/original.yaml, byte for byte', () => {
    expect(readFileSync(join(ROOT, 'config', 'original.yaml'))).toEqual(readFileSync(ORIGINAL));
  });

  it('loads without a warning: every key is known', () => {
    expect(warnings).toEqual([]);
  });

  it('switches on MySQL, MongoDB and Redis by their sections (no `enabled` keys)', () => {
    expect(config.database.mysql).toMatchObject({ enabled: true, host: 'localhost' });
    expect(config.database.mysql).toMatchObject({ username: 'root', database: 'mediator_db' });
    expect(config.database.mongodb).toMatchObject({ enabled: true, database: 'mediator_db' });
    expect(config.database.redis).toMatchObject({ enabled: true, port: 6379, db: 0 });
  });

  it('gives every other key its effect', () => {
    expect(config.cache).toEqual({ enabled: true, type: 'memory', ttlMs: 300_000, maxItems: 1000 });
    expect(config.messageQueue.enabled).toBe(true);
    expect(config.messageQueue.brokers).toEqual(['localhost:9092']);
    expect(config.messageQueue.topics.events).toBe('mediator-events');
    expect(config.websocket).toMatchObject({ enabled: true, port: 8080, maxMessageBytes: 1024 });
    expect(config.security).toMatchObject({
      enabled: true,
      jwtSecret: 'your-secret-key',
      tokenExpiryMs: 86_400_000,
      rateLimitEnabled: true,
      rateLimitRequests: 100,
      rateLimitWindowMs: 60_000,
    });
    expect(config.monitoring).toEqual({
      enabled: true,
      port: 9090,
      path: '/metrics',
      collectIntervalMs: 30_000,
    });
    expect(config.logging).toEqual({ level: 'info', format: 'json', output: 'stdout' });
  });

  it('reads timeout: "30m" as the longest wait a caller may ask for, not as every default', () => {
    expect(config.timeoutMs).toBe(1_800_000);
    expect(config.defaultWaitMs).toBe(30_000);
  });
});

describe('the shipped configs', () => {
  it.each(['config.yaml', 'production.yaml'])('%s has no unknown key', (name) => {
    const env = { CONFIG_FILE: join(ROOT, 'config', name), JWT_SECRET: 'k'.repeat(40) };
    expect(loadConfigWithWarnings(env, ROOT).warnings).toEqual([]);
  });

  it('config.yaml stays embedded: its enabled: false sections switch nothing on', () => {
    const config = loadConfig({ CONFIG_FILE: join(ROOT, 'config', 'config.yaml') }, ROOT);
    expect(config.database.mysql.enabled).toBe(false);
    expect(config.database.mongodb.enabled).toBe(false);
    expect(config.database.redis.enabled).toBe(false);
    expect(config.cache.type).toBe('memory');
  });
});

describe('component sections', () => {
  it('a section switches its component on; enabled: false or no section keeps it off', () => {
    const on = loadText(
      'database: {redis: {host: r}, mongodb: {enabled: false, uri: "mongodb://m"}}',
    );
    expect(on.config.database.redis.enabled).toBe(true);
    expect(on.config.database.mongodb.enabled).toBe(false);
    expect(on.config.database.mysql.enabled).toBe(false);
  });

  it('cache.type defaults to redis with Redis, and redis without Redis is refused', () => {
    expect(loadText('database: {redis: {}}').config.cache.type).toBe('redis');
    expect(loadText('{database: {redis: {}}, cache: {type: memory}}').config.cache.type).toBe(
      'memory',
    );
    expect(problemOf(() => loadText('cache: {type: redis}'))).toMatch(
      /^config error: cache\.type:/,
    );
  });

  it('cache.max_size and cache.max_items are one limit', () => {
    expect(loadText('cache: {max_items: 7}').config.cache.maxItems).toBe(7);
    expect(loadText('cache: {max_size: 9}').config.cache.maxItems).toBe(9);
    expect(problemOf(() => loadText('cache: {max_size: 9, max_items: 7}'))).toMatch(
      /cache\.max_size/,
    );
  });

  it('message_queue.topics as a list names events, commands, responses in that order', () => {
    const one = loadText('message_queue: {topics: [ev]}').config.messageQueue.topics;
    expect(one).toEqual({
      events: 'ev',
      commands: 'mediator-commands',
      responses: 'mediator-responses',
    });
    const three = loadText('message_queue: {topics: [e, c, r]}').config.messageQueue;
    expect(three.topics).toEqual({ events: 'e', commands: 'c', responses: 'r' });
    expect(three.replyTopics).toEqual(['r']);
    const map = loadText('message_queue: {topics: {commands: c}}').config.messageQueue.topics;
    expect(map.commands).toBe('c');
    expect(problemOf(() => loadText('message_queue: {topics: [a, b, c, d]}'))).toMatch(
      /message_queue\.topics/,
    );
  });

  it('websocket.port follows server.port unless set; buffer sizes set the message limit', () => {
    expect(loadText('server: {port: 8181}').config.websocket.port).toBe(8181);
    expect(loadText('{server: {port: 8181}, websocket: {port: 8282}}').config.websocket.port).toBe(
      8282,
    );
    expect(loadText('server: {body_limit: 5000}').config.websocket.maxMessageBytes).toBe(5000);
    const sized = loadText('websocket: {read_buffer_size: 2048, write_buffer_size: 4096}');
    expect(sized.config.websocket.maxMessageBytes).toBe(4096);
  });

  it('WEBSOCKET_PORT overrides websocket.port', () => {
    expect(
      loadText('websocket: {port: 8080}', { WEBSOCKET_PORT: '9191' }).config.websocket.port,
    ).toBe(9191);
  });

  it('a short timeout shortens the default waits too', () => {
    const { config } = loadText('timeout: 5s');
    expect([config.timeoutMs, config.defaultWaitMs]).toEqual([5000, 5000]);
  });

  it('logging.output takes stdout, stderr or a path', () => {
    expect(loadText('logging: {output: /tmp/x.log}').config.logging.output).toBe('/tmp/x.log');
    expect(loadText('{}').config.logging.output).toBe('stdout');
  });
});

describe('unknown keys', () => {
  const typo =
    'max_colleages: 5\ncache: {max_sise: 3}\nmonitoring: {colect_interval: 1s}\nfoo: {bar: 1}';

  it('are warnings naming each key and the closest known key', () => {
    expect(loadText(typo).warnings).toEqual([
      'config: unknown key max_colleages (did you mean max_colleagues?); it is ignored',
      'config: unknown key cache.max_sise (did you mean cache.max_size?); it is ignored',
      'config: unknown key monitoring.colect_interval (did you mean monitoring.collect_interval?); it is ignored',
      expect.stringMatching(/^config: unknown key foo \(did you mean \w+\?\); it is ignored$/),
    ]);
  });

  it('are the one-line error with --strict or config.strict: true', () => {
    const message = problemOf(() => loadText('max_colleages: 5', {}, true));
    expect(message).toBe(
      'config error: unknown key max_colleages (did you mean max_colleagues?) (strict mode)',
    );
    expect(problemOf(() => loadText('{config: {strict: true}, cache: {max_sise: 3}}'))).toMatch(
      /^config error: unknown key cache\.max_sise \(did you mean cache\.max_size\?\)/,
    );
    expect(loadText('{config: {strict: true}, cache: {max_size: 3}}').warnings).toEqual([]);
  });
});
