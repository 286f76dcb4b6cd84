/**
 * Mints a development token signed with the configured secret (CONTRACT §2):
 *   npm run token -- --sub ID --scope "admin" [--mediator M [--colleague C]] [--ttl 1h]
 * --ttl defaults to 1h or security.token_expiry when shorter, and may not exceed it (the service
 * would refuse the token).
 */
import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { ConfigError, loadConfig, parseDuration } from '@mediator/config';

const USAGE =
  'usage: npm run token -- --sub ID --scope "admin" [--mediator M [--colleague C]] [--ttl 1h]';
const ONE_HOUR_MS = 3_600_000;

/** The token's lifetime in ms: --ttl, or 1h capped by security.token_expiry. */
function lifetime(ttl: string | undefined, maxMs: number): number {
  if (ttl === undefined) return Math.min(ONE_HOUR_MS, maxMs);
  const ms = parseDuration(ttl);
  if (ms === undefined || ms < 1000) throw new ConfigError(`--ttl: not a duration (got ${ttl})`);
  if (ms > maxMs)
    throw new ConfigError(
      `--ttl ${ttl} exceeds security.token_expiry (${maxMs / 1000} s): the service would refuse the token`,
    );
  return ms;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      scope: { type: 'string', default: 'admin' },
      mediator: { type: 'string' },
      colleague: { type: 'string' },
      ttl: { type: 'string' },
    },
  });
  if (!values.sub) throw new ConfigError(USAGE);
  // The service refuses a colleague binding without its mediator: do not mint one.
  if (values.colleague !== undefined && !values.mediator)
    throw new ConfigError(`--colleague needs --mediator\n${USAGE}`);
  const config = loadConfig();
  const ttlMs = lifetime(values.ttl, config.security.tokenExpiryMs);
  const { jwtAlgorithm, jwtSecret, jwtIssuer, jwtAudience } = config.security;
  if (!jwtAlgorithm.startsWith('HS'))
    throw new ConfigError(`npm run token signs HS* tokens only; the config pins ${jwtAlgorithm}`);
  const claims: Record<string, string> = { sub: values.sub, scope: values.scope };
  if (values.mediator) claims.mediator = values.mediator;
  if (values.colleague) claims.colleague = values.colleague;
  const token = new JwtService().sign(claims, {
    algorithm: jwtAlgorithm,
    secret: jwtSecret,
    expiresIn: Math.floor(ttlMs / 1000),
    ...(jwtIssuer ? { issuer: jwtIssuer } : {}),
    ...(jwtAudience ? { audience: jwtAudience } : {}),
  });
  process.stdout.write(`${token}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
