import type { AppConfig } from './app-config';

/** Shortest HS* secret accepted in production: 256 bits, as long as HS256's output. */
export const MIN_PRODUCTION_SECRET_BYTES = 32;

/**
 * Secrets that are public: the examples of the original service, the shipped config/config.yaml
 * and the placeholders of deploy/ (compared without case and punctuation, so `CHANGE_ME` and
 * `change-me` are one).
 */
const KNOWN_SECRETS = [
  'change-me-development-secret-at-least-32-chars',
  'CHANGE_ME-to-a-random-secret-of-at-least-32-characters',
  'validate-only-placeholder',
  'your-secret-key',
  'your-256-bit-secret',
  'changeme',
  'secret',
  'secretkey',
  'jwt-secret',
  'password',
].map(normalise);

/** Words that only a placeholder contains: such a secret was copied, not generated. */
const PLACEHOLDER_MARKERS = ['changeme', 'yoursecret', 'placeholder', 'replaceme'];

function normalise(secret: string): string {
  return secret.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Why an HS* secret must not sign tokens of a real deployment, or undefined when it may:
 * a published value (development default, placeholder) or fewer than 32 bytes.
 */
export function weakSecretProblem(secret: string): string | undefined {
  const normal = normalise(secret);
  if (KNOWN_SECRETS.includes(normal) || PLACEHOLDER_MARKERS.some((m) => normal.includes(m)))
    return 'is a published development value or placeholder';
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_PRODUCTION_SECRET_BYTES)
    return `is ${bytes} bytes, shorter than ${MIN_PRODUCTION_SECRET_BYTES}`;
  if (new Set(secret).size === 1) return 'repeats one character';
  return undefined;
}

/**
 * The start-up warning for a weak HS* secret outside production (where loadConfig refuses it):
 * development keeps working with the original's examples, and the log says why it must not ship.
 */
export function weakSecretWarning(
  config: AppConfig,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  const s = config.security;
  if (!s.enabled || !s.jwtAlgorithm.startsWith('HS') || isProduction(env)) return undefined;
  const problem = weakSecretProblem(s.jwtSecret);
  return problem
    ? `INSECURE: security.jwt_secret (JWT_SECRET) ${problem}: anyone can forge tokens; ` +
        'with NODE_ENV=production the service refuses to start (use openssl rand -base64 48)'
    : undefined;
}

export function isProduction(env: Record<string, string | undefined>): boolean {
  return env.NODE_ENV === 'production';
}
