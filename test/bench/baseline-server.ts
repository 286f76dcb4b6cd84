/**
 * The baseline of test/bench/http-ws.bench.ts: a bare Fastify app with the routes the benchmark
 * measures on the service, and a bare Socket.IO relay on the same port. No auth, validation,
 * storage or audit — what is left is the cost of HTTP, JSON and Socket.IO on this machine.
 *
 *   PORT=… node -r ts-node/register/transpile-only test/bench/baseline-server.ts
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Server } from 'socket.io';

interface SendBody {
  sender_id: string;
  recipient_id: string;
  message: unknown;
}

function envelopeOf(mediator: string, body: SendBody) {
  return {
    id: randomUUID(),
    mediator,
    kind: 'message',
    type: 'direct',
    sender_id: body.sender_id,
    recipient_id: body.recipient_id,
    payload: body.message,
    headers: {},
    correlation_id: null,
    created_at: new Date().toISOString(),
    status: 'pending',
  };
}

async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  const io = new Server(app.server, { path: '/ws' });
  io.on('connection', (socket) => {
    const { colleague } = socket.handshake.auth as { colleague?: string };
    if (colleague) void socket.join(colleague);
  });

  app.get('/health/live', async () => ({ status: 'ok' }));

  // The same path as the service: parse JSON, answer 202 with an envelope.
  app.post<{ Params: { name: string }; Body: SendBody }>(
    '/api/v1/mediators/:name/messages',
    async (request, reply) => reply.code(202).send(envelopeOf(request.params.name, request.body)),
  );

  // Plus a push to the recipient's room over Socket.IO with an ack, as the service delivers.
  app.post<{ Params: { name: string }; Body: SendBody }>(
    '/relay/:name/messages',
    async (request, reply) => {
      const envelope = envelopeOf(request.params.name, request.body);
      io.to(envelope.recipient_id)
        .timeout(30_000)
        .emit('message', { ...envelope, status: 'delivered' }, () => undefined);
      return reply.code(202).send(envelope);
    },
  );

  await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  const close = () => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

void main();
