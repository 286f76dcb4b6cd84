import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { weakSecretProblem, weakSecretWarning } from './jwt-secret';
import { ConfigError, loadConfig } from './load-config';

const ROOT = join(__dirname, '..', '..', '..');
const STRONG = 'k3J9vQx2LmP8rT5wZ1nB7cF4hD6gS0aYeU-strong';

function configFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'config-spec-')), 'config.yaml');
  writeFileSync(file, yaml);
  return file;
}

const load = (env: Record<string, string>) =>
  loadConfig({ CONFIG_FILE: join(ROOT, 'config', 'config.yaml'), ...env }, ROOT);

describe('weak JWT secrets', () => {
  it('knows the shipped development secret and the k8s placeholder', () => {
    const shipped = parseYaml(readFileSync(join(ROOT, 'config', 'config.yaml'), 'utf8')) as {
      security: { jwt_secret: string };
    };
    expect(weakSecretProblem(shipped.security.jwt_secret)).toMatch(/placeholder/);
    const k8s = readFileSync(join(ROOT, 'deploy', 'k8s', 'base', 'secret.yaml'), 'utf8');
    const placeholder = /JWT_SECRET: (\S+)/.exec(k8s)![1];
    expect(weakSecretProblem(placeholder)).toMatch(/placeholder/);
  });

  it.each(['your-secret-key', 'changeme', 'CHANGE_ME', 'secret', 'a'.repeat(16), 'a'.repeat(40)])(
    'calls %s weak',
    (secret) => expect(weakSecretProblem(secret)).toEqual(expect.any(String)),
  );

  it('accepts 32 random bytes', () => expect(weakSecretProblem(STRONG)).toBeUndefined());

  describe('with NODE_ENV=production', () => {
    it.each([
      ['the development default', undefined],
      ['the original’s secret', 'your-secret-key'],
      ['a 31-byte secret', 'x7'.repeat(15) + 'q'],
    ])('refuses %s with one line naming the key, not the value', (_what, secret) => {
      const env = { NODE_ENV: 'production', ...(secret ? { JWT_SECRET: secret } : {}) };
      expect(() => load(env)).toThrow(ConfigError);
      expect(() => load(env)).toThrow(/^config error: security\.jwt_secret: [^\n]+$/);
      if (secret) expect(() => load(env)).not.toThrow(secret);
    });

    it('starts with a strong secret, without a warning', () => {
      const config = load({ NODE_ENV: 'production', JWT_SECRET: STRONG });
      expect(weakSecretWarning(config, { NODE_ENV: 'production' })).toBeUndefined();
    });
  });

  it('starts in development with the original’s secret and a loud warning', () => {
    const config = load({ NODE_ENV: 'development', JWT_SECRET: 'your-secret-key' });
    expect(config.security.jwtSecret).toBe('your-secret-key');
    expect(weakSecretWarning(config, { NODE_ENV: 'development' })).toMatch(
      /^INSECURE: security\.jwt_secret/,
    );
    expect(weakSecretWarning(load({ JWT_SECRET: STRONG }), {})).toBeUndefined();
  });

  it('still refuses an empty secret everywhere', () => {
    const file = configFile('security:\n  jwt_secret: ""\n');
    expect(() => loadConfig({ CONFIG_FILE: file }, ROOT)).toThrow(/security\.jwt_secret/);
  });
});

describe('security.token_expiry', () => {
  it('defaults to 24h and reads a duration', () => {
    expect(load({}).security.tokenExpiryMs).toBe(86_400_000);
    const file = configFile('security:\n  jwt_secret: ' + STRONG + '\n  token_expiry: 30m\n');
    expect(loadConfig({ CONFIG_FILE: file }, ROOT).security.tokenExpiryMs).toBe(1_800_000);
  });

  it('refuses a non-duration', () => {
    const file = configFile('security:\n  jwt_secret: ' + STRONG + '\n  token_expiry: soon\n');
    expect(() => loadConfig({ CONFIG_FILE: file }, ROOT)).toThrow(/security\.token_expiry/);
  });
});
