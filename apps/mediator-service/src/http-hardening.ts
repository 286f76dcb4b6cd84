import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

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
 * A stricter CSP for everything but the pages: JSON answers load nothing, so they need no sources
 * at all (OWASP's advice for APIs). It is also 220 bytes shorter on every API response.
 */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/**
 * The pages, which load their own scripts and styles: Swagger UI under `/docs` (and `/docs-json`,
 * `/docs-yaml`) and the web console under `/console`.
 */
const PAGE_PREFIXES = ['/docs', '/console'];
const isPage = (url: string) => PAGE_PREFIXES.some((prefix) => url.startsWith(prefix));

export interface CorsSettings {
  origins: readonly string[];
  methods: readonly string[];
  exposedHeaders: readonly string[];
}

/**
 * Security and CORS headers on every HTTP response, from one callback hook that sets headers
 * worked out at start-up. Nest's enableCors ran @fastify/cors per request and copied its headers
 * onto the raw Node response, which sends every response down Node's slow header path: with
 * helmet's headers, a third of the CPU of a liveness request. Registered before every other hook
 * of ours, so a 405 or a preflight answer carries the same headers.
 *
 * CORS as @fastify/cors answered it: `*` sets constant headers; listed origins are echoed with
 * credentials and `Vary: Origin`; a preflight (OPTIONS with `Origin` and
 * `Access-Control-Request-Method`) is answered 204 here with the methods and the requested
 * headers, and any other OPTIONS is a 400. `security`: helmetHeaders().
 */
export function registerHttpHeaders(
  fastify: FastifyInstance,
  cors: CorsSettings,
  security: Record<string, string>,
): ApiHeaders {
  const { origin, credentials } = corsOptions(cors.origins);
  const corsHeaders: Record<string, string> = credentials
    ? { vary: 'Origin' }
    : {
        'access-control-allow-origin': '*',
        'access-control-expose-headers': cors.exposedHeaders.join(', '),
      };
  const page = { ...security, ...corsHeaders };
  const api = { ...page, 'content-security-policy': API_CSP };
  const listed = new Set(typeof origin === 'string' ? [] : origin);
  const exposed = cors.exposedHeaders.join(', ');
  const methods = cors.methods.join(', ');

  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(isPage(request.url) ? page : api);
    const from = request.headers.origin;
    if (credentials && from !== undefined && listed.has(from)) {
      void reply.headers({
        'access-control-allow-origin': from,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': exposed,
      });
    }
    if (request.method !== 'OPTIONS') return done();
    answerPreflight(request, reply, methods);
  });
  // Lets Fastify route OPTIONS on every path to the hook above, not to 404 or 405.
  fastify.options('*', (_request, reply) => reply.callNotFound());
  return { headers: api, dependOnOrigin: credentials };
}

/**
 * The headers the hook above sets on an API (non-page) response, in its order. With listed
 * origins (`dependOnOrigin`), a request with an `Origin` header may get more.
 */
export interface ApiHeaders {
  headers: Readonly<Record<string, string>>;
  dependOnOrigin: boolean;
}

/** A preflight's answer (never calls the next hook: the request ends here). */
function answerPreflight(request: FastifyRequest, reply: FastifyReply, methods: string): void {
  const { headers } = request;
  if (!headers.origin || !headers['access-control-request-method']) {
    void reply.code(400).type('text/plain').send('Invalid Preflight Request');
    return;
  }
  const vary = reply.getHeader('vary');
  void reply.header(
    'vary',
    vary ? `${String(vary)}, Access-Control-Request-Headers` : 'Access-Control-Request-Headers',
  );
  void reply.header('access-control-allow-methods', methods);
  const requested = headers['access-control-request-headers'];
  if (requested !== undefined) void reply.header('access-control-allow-headers', requested);
  void reply.code(204).header('content-length', '0').send();
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
