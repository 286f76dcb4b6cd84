import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { LIVE, LIVENESS_CACHE_CONTROL, LIVENESS_PATH } from '@mediator/health';
import { type ApiHeaders, requestIdOf } from './http-hardening';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export interface DirectLivenessOptions {
  /** The security and CORS headers of an API answer (registerHttpHeaders). */
  api: ApiHeaders;
  /** False once shutdown began: Fastify's route answers the 503 from then on. */
  isLive: () => boolean;
  /** The request's duration in seconds, for the HTTP histogram (GET, /health/live, 200). */
  observe: (seconds: number) => void;
}

/**
 * `GET /health/live` answered by the server's request listener before Fastify sees it, with the
 * answer Fastify's route gives: its status, body and headers (security, CORS, cache-control,
 * content type, request id) in the same order, and the same metric. Liveness is a constant that
 * probes call constantly, and Fastify's request and reply objects, its routing and every hook
 * cost more than the answer: through Fastify the route took half again a bare Fastify GET.
 * Anything else — another method or path, a query string, shutdown, and with listed CORS
 * origins a request with an `Origin` — goes on to Fastify as before.
 */
export function answerLivenessDirectly(server: Server, options: DirectLivenessOptions): void {
  const { api, isLive, observe } = options;
  // One array of names and values: Node writes it as given, with no header object to build.
  const constant = [
    ...Object.entries(api.headers).flat(),
    'cache-control',
    LIVENESS_CACHE_CONTROL,
    'content-type',
    'application/json; charset=utf-8',
  ];
  const length = String(Buffer.byteLength(LIVE));
  const answered = (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.url !== LIVENESS_PATH || request.method !== 'GET') return false;
    if (!isLive() || (api.dependOnOrigin && request.headers.origin !== undefined)) return false;
    const start = performance.now();
    const headers = constant.slice();
    headers.push('x-request-id', requestIdOf(request), 'content-length', length);
    response.writeHead(200, headers);
    response.end(LIVE);
    observe((performance.now() - start) / 1000);
    return true;
  };
  const others = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (answered(request, response)) return;
    for (const listener of others) listener.call(server, request, response);
  });
}
