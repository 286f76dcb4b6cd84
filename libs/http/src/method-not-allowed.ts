import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from './error-body';
import { reasonPhrase } from './error-body';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * A method the path does not have (TRACE on /health, DELETE on a list) is 405 with `Allow`
 * (RFC 9110 §15.5.6) rather than the 404 of a path that does not exist. Fastify's router only knows
 * "no route for this method and path", so the hook asks it about the other methods.
 */
export function answerWrongMethodsWith405(fastify: FastifyInstance): void {
  // A callback hook: an async one costs a promise on every request, matched or not.
  fastify.addHook('onRequest', (request, reply, done) => {
    // is404, not routeOptions.url: Fastify builds the routeOptions object anew on each read.
    if (!request.is404) return done();
    const path = request.url.split('?', 1)[0];
    const allowed = METHODS.filter((method) => fastify.findRoute({ method, url: path }));
    if (allowed.length === 0) return done();
    if (allowed.includes('GET')) allowed.push('HEAD');
    const body: ErrorBody = {
      status_code: 405,
      error: reasonPhrase(405),
      code: 'METHOD_NOT_ALLOWED',
      message: `${request.method} is not allowed here; allowed: ${allowed.join(', ')}`,
      request_id: request.id,
    };
    // Answered here: the request goes no further, so done() is not called.
    void reply.code(405).header('allow', allowed.join(', ')).send(body);
  });
}
