import { request as httpRequest } from 'node:http';
import type { HttpAdapterHost } from '@nestjs/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { LivenessRoute } from '@mediator/health';
import { answerLivenessDirectly } from './direct-liveness';
import { registerHttpHeaders, requestIdOf } from './http-hardening';

interface Answer {
  status: number;
  /** Header names and values in the order they were sent, without the ones that vary. */
  headers: string[];
  requestId: string;
  body: string;
}

/** A request over a socket (light-my-request's inject does not go through the server). */
function get(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = httpRequest(`${base}${path}`, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const raw = res.rawHeaders;
        const headers: string[] = [];
        for (let i = 0; i < raw.length; i += 2)
          if (!['date', 'x-request-id'].includes(raw[i].toLowerCase()))
            headers.push(`${raw[i]}: ${raw[i + 1]}`);
        done({
          status: res.statusCode!,
          headers,
          requestId: String(res.headers['x-request-id']),
          body,
        });
      });
    });
    req.on('error', fail);
    req.end();
  });
}

const security = {
  'content-security-policy': "default-src 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
};
const cors = { methods: ['GET'], exposedHeaders: ['x-request-id', 'retry-after'] };

/** The liveness route as the service registers it, with or without the direct answer. */
async function serviceWith(origins: string[], direct: boolean) {
  const fastify: FastifyInstance = Fastify({ requestIdHeader: false, genReqId: requestIdOf });
  const api = registerHttpHeaders(fastify, { ...cors, origins }, security);
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  const liveness = new LivenessRoute({
    httpAdapter: { getInstance: () => fastify },
  } as unknown as HttpAdapterHost);
  liveness.onModuleInit();
  const observed: number[] = [];
  const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
  if (direct)
    answerLivenessDirectly(fastify.server, {
      api,
      isLive: () => liveness.live,
      observe: (seconds) => observed.push(seconds),
    });
  return { fastify, liveness, base, observed };
}

describe('answerLivenessDirectly', () => {
  const apps: FastifyInstance[] = [];
  afterAll(() => Promise.all(apps.map((app) => app.close())));
  const both = async (origins: string[]) => {
    const [direct, routed] = await Promise.all([
      serviceWith(origins, true),
      serviceWith(origins, false),
    ]);
    apps.push(direct.fastify, routed.fastify);
    return { direct, routed };
  };

  it('answers as the Fastify route does: status, body, headers in order, and times it', async () => {
    const { direct, routed } = await both(['*']);
    const [mine, theirs] = await Promise.all([
      get(direct.base, '/health/live'),
      get(routed.base, '/health/live'),
    ]);
    expect(mine).toEqual({ ...theirs, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(theirs.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(mine.status).toBe(200);
    expect(mine.body).toBe('{"status":"ok","info":{},"error":{},"details":{}}');
    expect(mine.headers).toContain('x-frame-options: DENY');
    expect(direct.observed).toHaveLength(1);
    expect(direct.observed[0]).toBeGreaterThanOrEqual(0);
  });

  it("keeps the caller's safe request id", async () => {
    const { direct } = await both(['*']);
    const headers = { 'x-request-id': 'probe-1' };
    expect((await get(direct.base, '/health/live', { headers })).requestId).toBe('probe-1');
  });

  it('leaves every other request to Fastify', async () => {
    const { direct, routed } = await both(['*']);
    for (const [path, method] of [
      ['/health/live?probe=1', 'GET'],
      ['/health/live', 'HEAD'],
      ['/health/live', 'POST'],
      ['/health/live/', 'GET'],
    ]) {
      const [mine, theirs] = await Promise.all([
        get(direct.base, path, { method }),
        get(routed.base, path, { method }),
      ]);
      expect([path, method, mine.status, mine.headers]).toEqual([
        path,
        method,
        theirs.status,
        theirs.headers,
      ]);
    }
    expect(direct.observed).toHaveLength(0);
  });

  it('echoes a listed origin as Fastify does', async () => {
    const { direct, routed } = await both(['https://a.example']);
    const headers = { origin: 'https://a.example' };
    const [mine, theirs] = await Promise.all([
      get(direct.base, '/health/live', { headers }),
      get(routed.base, '/health/live', { headers }),
    ]);
    expect(mine.headers).toEqual(theirs.headers);
    expect(mine.headers).toContain('access-control-allow-origin: https://a.example');
    const plain = await get(direct.base, '/health/live');
    expect(plain.headers).toEqual((await get(routed.base, '/health/live')).headers);
  });

  it('lets the route answer 503 once shutdown began', async () => {
    const { direct } = await both(['*']);
    direct.liveness.beforeApplicationShutdown();
    const answer = await get(direct.base, '/health/live');
    expect(answer.status).toBe(503);
    expect(answer.body).toBe('{"status":"shutting_down","info":{},"error":{},"details":{}}');
  });
});
