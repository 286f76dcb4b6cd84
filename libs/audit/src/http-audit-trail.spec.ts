import Fastify, { type FastifyInstance } from 'fastify';
import type { HttpAdapterHost } from '@nestjs/core';
import { MediatorError } from '@mediator/core';
import { auditRequestAs, type AuditedRequest, HttpAuditTrail } from './http-audit-trail';
import type { AuditService } from './audit.service';

class Forbidden extends MediatorError {
  constructor() {
    super('SCOPE_FORBIDDEN', 'forbidden', 'no');
  }
}

describe('HttpAuditTrail', () => {
  let fastify: FastifyInstance;
  const audit = { succeeded: jest.fn(), failed: jest.fn() };
  let trail: HttpAuditTrail;

  beforeEach(async () => {
    jest.clearAllMocks();
    fastify = Fastify();
    const host = { httpAdapter: { getInstance: () => fastify } } as unknown as HttpAdapterHost;
    trail = new HttpAuditTrail(audit as unknown as AuditService, host);
    trail.onApplicationBootstrap();
    const mark = (action?: string) => async (request: object) =>
      auditRequestAs(request as AuditedRequest, action);
    fastify.post('/m/:name/messages', { preHandler: mark('send_message') }, async () => ({
      id: 'msg-1',
    }));
    fastify.post('/m/:name/ack', { preHandler: mark('ack_message') }, async (_, reply) =>
      reply.code(204).send(),
    );
    fastify.get('/m/:name', { preHandler: mark(undefined) }, async () => ({ id: 'x' }));
    fastify.post('/m/:name/fail', { preHandler: mark('send_message') }, async (_, reply) =>
      reply.code(400).send({ code: 'VALIDATION_FAILED' }),
    );
    base = await fastify.listen({ host: '127.0.0.1', port: 0 });
  });
  let base: string;
  const call = (method: string, path: string) =>
    fetch(base + path, {
      method,
      ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}),
    });

  afterEach(() => fastify.close());

  it('records a success once, naming what the route created, with or without a body', async () => {
    await call('POST', '/m/orders/messages');
    await call('POST', '/m/orders/ack');
    expect(audit.succeeded.mock.calls).toEqual([
      [expect.objectContaining({ action: 'send_message', mediator: 'orders', target: 'msg-1' })],
      [expect.objectContaining({ action: 'ack_message', mediator: 'orders', target: 'orders' })],
    ]);
  });

  it('records nothing for routes it was not asked to, nor a success for an error answer', async () => {
    await call('GET', '/m/orders');
    await call('POST', '/m/orders/fail');
    expect(audit.succeeded).not.toHaveBeenCalled();
  });

  it('records a failure under the marked action, per IP for a caller without a token', () => {
    const error = new Forbidden();
    const request: AuditedRequest = { id: 'r1', ip: '10.0.0.1', params: { name: 'orders' } };
    trail.failed(request, error);
    expect(audit.failed).not.toHaveBeenCalled();
    auditRequestAs(request, 'send_message');
    request.principal = { sub: 'alice' };
    trail.failed(request, error);
    auditRequestAs(request, 'send_message', true);
    trail.failed(request, error);
    expect(audit.failed.mock.calls).toEqual([
      [
        expect.objectContaining({ action: 'send_message', actor: 'alice', mediator: 'orders' }),
        error,
      ],
      [{ transport: 'http', action: 'send_message', ip: '10.0.0.1' }, error],
    ]);
  });
});
