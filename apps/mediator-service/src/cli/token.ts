/**
 * Mints a development token signed with the configured secret (CONTRACT §2):
 *   npm run token -- --sub ID --scope "admin" [--mediator M] [--colleague C] [--ttl 1h]
 */
import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { ConfigError, loadConfig, parseDuration } from '@mediator/config';

function main(): void {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      scope: { type: 'string', default: 'admin' },
      mediator: { type: 'string' },
      colleague: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
    },
  });
  if (!values.sub)
    throw new ConfigError(
      'usage: npm run token -- --sub ID --scope "admin" [--mediator M] [--colleague C] [--ttl 1h]',
    );
  const ttlMs = parseDuration(values.ttl);
  if (ttlMs === undefined || ttlMs < 1000)
    throw new ConfigError(`--ttl: not a duration (got ${values.ttl})`);
  const config = loadConfig();
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
