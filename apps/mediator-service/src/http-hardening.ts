import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import helmet from '@fastify/helmet';
import Fastify from 'fastify';
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
const HELMET_OPTIONS = {
  frameguard: { action: 'deny' },
  contentSecurityPolicy: {
    useDefaults: true,
    directives: {
      'frame-ancestors': ["'none'"],
      'upgrade-insecure-requests': null,
    },
  },
} as const;

/**
 * Sets helmet's headers on every response from one callback hook. @fastify/helmet itself builds
 * helmet's middleware anew for every request (parsing the CSP directives each time) in two hooks,
 * one of them a promise: a tenth of the CPU of a liveness request. With these options the headers
 * depend on nothing in the request (no CSP nonces), so they are worked out once, by @fastify/helmet.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  const headers = await helmetHeaders();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      void reply.headers(headers);
      done();
    });
}

/** The headers @fastify/helmet adds with HELMET_OPTIONS: a response with it less one without. */
export async function helmetHeaders(): Promise<Record<string, string>> {
  const scratch = Fastify();
  await scratch.register(helmet, HELMET_OPTIONS);
  scratch.get('/with', (_request, reply) => reply.send());
  scratch.get('/without', { helmet: false }, (_request, reply) => reply.send());
  const [withHelmet, without] = await Promise.all([
    scratch.inject('/with'),
    scratch.inject('/without'),
  ]);
  await scratch.close();
  return Object.fromEntries(
    Object.entries(withHelmet.headers)
      .filter(([name]) => !(name in without.headers))
      .map(([name, value]) => [name, String(value)]),
  );
}
