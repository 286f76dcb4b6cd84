import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * CORS for REST and Socket.IO from `server.cors_origins`. `*` lets any page call the API with
 * its own bearer token, so it never comes with credentials (a browser would otherwise send the
 * page's cookies along); a listed origin may (sticky-session cookies of a load balancer).
 */
export function corsOptions(origins: readonly string[]): {
  origin: string | string[];
  credentials: boolean;
} {
  return origins.includes('*')
    ? { origin: '*', credentials: false }
    : { origin: [...origins], credentials: true };
}

/** A caller's `x-request-id` is logged and echoed: only short ids of harmless characters. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id: the caller's `x-request-id` when it is safe to log and echo, else a new UUID. */
export function requestIdOf(request: { headers: IncomingHttpHeaders }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Security headers on every HTTP response (helmet's defaults: nosniff, HSTS, no referrer, …),
 * framing refused, and a CSP under which /docs's Swagger UI still runs: its scripts are files
 * of this origin, its styles partly inline, its icons data: URIs. No upgrade-insecure-requests:
 * the service itself may be reached over plain HTTP (behind a TLS-terminating ingress or locally),
 * and upgraded asset requests would break /docs there.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, {
    frameguard: { action: 'deny' },
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': null,
      },
    },
  });
}
