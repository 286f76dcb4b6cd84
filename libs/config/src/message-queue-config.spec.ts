import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

/** loadConfig over a YAML file holding only `message_queue` (JSON is YAML), plus env. */
function load(messageQueue: object, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mq-config-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, JSON.stringify({ message_queue: { enabled: true, ...messageQueue } }));
  return loadConfig({ CONFIG_FILE: file, JWT_SECRET: 'x'.repeat(32), ...env }, dir);
}

function problem(messageQueue: object, env: Record<string, string> = {}): string {
  try {
    load(messageQueue, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('message_queue security settings', () => {
  it('defaults to no SASL, no TLS and replies to the responses topic only', () => {
    const mq = load({}).messageQueue;
    expect(mq.sasl).toEqual({ mechanism: 'none', username: '', password: '' });
    expect(mq.ssl.enabled).toBe(false);
    expect(mq.replyTopics).toEqual(['mediator-responses']);
  });

  it('reads SASL from the file, with KAFKA_SASL_* overriding it (mechanism in any case)', () => {
    const fromFile = load({ sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' } });
    expect(fromFile.messageQueue.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'u',
      password: 'p',
    });
    const fromEnv = load(
      { sasl: { mechanism: 'plain', username: 'u', password: 'p' } },
      {
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
        KAFKA_SASL_USERNAME: 'svc',
        KAFKA_SASL_PASSWORD: 's3cret',
      },
    );
    expect(fromEnv.messageQueue.sasl).toEqual({
      mechanism: 'scram-sha-256',
      username: 'svc',
      password: 's3cret',
    });
  });

  it('refuses a bad SASL setting with one line naming the key', () => {
    expect(problem({}, { KAFKA_SASL_MECHANISM: 'GSSAPI' })).toBe(
      'config error: message_queue.sasl.mechanism: must be one of none, plain, scram-sha-256, ' +
        'scram-sha-512 (or set KAFKA_SASL_MECHANISM) (got "GSSAPI")',
    );
    expect(problem({ sasl: { mechanism: 'plain', password: 'p' } })).toMatch(
      /^config error: message_queue\.sasl\.username: is required with SASL plain \(set KAFKA_SASL_USERNAME\)/,
    );
    expect(problem({ sasl: { mechanism: 'plain', username: 'u' } })).toMatch(
      /^config error: message_queue\.sasl\.password: is required/,
    );
  });

  it('checks the TLS files: readable, only with ssl.enabled, cert and key together', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mq-tls-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, 'pem');
    expect(load({ ssl: { enabled: true, ca_file: ca } }).messageQueue.ssl).toEqual({
      enabled: true,
      caFile: ca,
      certFile: '',
      keyFile: '',
      rejectUnauthorized: true,
    });
    expect(problem({ ssl: { enabled: true, ca_file: join(dir, 'missing.pem') } })).toMatch(
      /^config error: message_queue\.ssl\.ca_file: is not a readable file/,
    );
    expect(problem({ ssl: { ca_file: ca } })).toMatch(
      /^config error: message_queue\.ssl\.ca_file: is set but message_queue\.ssl\.enabled is false/,
    );
    expect(problem({ ssl: { enabled: true, cert_file: ca } })).toMatch(
      /^config error: message_queue\.ssl\.cert_file: and message_queue\.ssl\.key_file go together/,
    );
    expect(problem({ ssl: { enabled: 'yes' } })).toMatch(
      /^config error: message_queue\.ssl\.enabled: must be true or false/,
    );
  });

  it('allows extra reply topics but never the commands or events topic', () => {
    expect(load({ reply_topics: ['billing-replies'] }).messageQueue.replyTopics).toEqual([
      'mediator-responses',
      'billing-replies',
    ]);
    expect(problem({ reply_topics: ['mediator-events'] })).toMatch(
      /^config error: message_queue\.reply_topics: must not name the commands or events topic/,
    );
  });
});
