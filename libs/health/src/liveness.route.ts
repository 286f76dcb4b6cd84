import { type BeforeApplicationShutdown, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';

export const LIVENESS_PATH = '/health/live';
/** terminus's `cache-control` on health answers. */
export const LIVENESS_CACHE_CONTROL = 'no-cache, no-store, must-revalidate';

/** What terminus answers for a check without indicators, while running and while shutting down. */
export const LIVE = JSON.stringify({ status: 'ok', info: {}, error: {}, details: {} });
const SHUTTING_DOWN = JSON.stringify({ status: 'shutting_down', info: {}, error: {}, details: {} });

/**
 * `GET /health/live` served by Fastify directly, outside Nest's router. Liveness asks nothing of
 * any component, so running the global guards, pipes and terminus only to return a constant made
 * the cheapest route cost three times a bare one; probes and load balancers call it constantly.
 * The answer stays terminus's, byte for byte: 200 `ok`, or 503 `shutting_down` once shutdown began,
 * with terminus's `cache-control`. Fastify's hooks (request id, metrics, CORS) still apply.
 * Without debug logging, the service answers a plain `GET` before Fastify sees it, with the same
 * bytes (apps/mediator-service direct-liveness.ts); this route answers the rest and the 503.
 */
@Injectable()
export class LivenessRoute implements OnModuleInit, BeforeApplicationShutdown {
  private shuttingDown = false;

  /** False once shutdown began (the route then answers 503). */
  get live(): boolean {
    return !this.shuttingDown;
  }

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.get(LIVENESS_PATH, (_request, reply) => {
      void reply
        .code(this.shuttingDown ? 503 : 200)
        .header('cache-control', LIVENESS_CACHE_CONTROL)
        .type('application/json; charset=utf-8')
        .send(this.shuttingDown ? SHUTTING_DOWN : LIVE);
    });
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}

/**
 * The OpenAPI entry of the liveness route, which Nest's scanner does not see: the same responses
 * as the terminus routes it documents (`/health/ready`), with its own summary.
 */
export function documentLiveness(document: OpenAPIObject): void {
  const ready = document.paths['/health/ready']?.get;
  document.paths[LIVENESS_PATH] = {
    get: {
      operationId: 'HealthController_live',
      parameters: [],
      responses: ready?.responses ?? { 200: { description: 'The process answers' } },
      summary: 'Liveness: the process answers',
      tags: ['health'],
    },
  };
}
