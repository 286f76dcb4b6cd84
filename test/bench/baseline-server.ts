/**
 * The bare baselines of the benchmarks, one per process (BASELINE picks which), so each runs as
 * the service does: alone in its process.
 *
 * - `fastify`:  a bare Fastify app with the routes measured on the service: a `POST` that parses
 *   the same JSON body and answers 202 with an envelope, and `GET`s answering small JSON bodies.
 * - `socketio`: a bare Socket.IO relay: on `send` it emits the envelope to the recipient's room
 *   with an ack callback and acks the sender — the service's `send` without storage, auth or audit;
 *   and `POST …/broadcast`, which emits the envelope to every other connected socket with an ack.
 * - `floor`: the least work goal 1's durable send names, written by hand with no framework
 *   ([floor.ts](support/floor.ts)): the same Fastify POST, then the message, the recipient's copy,
 *   the outbox event and the audit entry in one group commit (better-sqlite3 as the service's
 *   default, or MariaDB with `FLOOR_STORE=mysql`), 202, a Socket.IO push to the connected
 *   recipient with an ack, the ack's UPDATE and the outbox row's DELETE in later group commits.
 *
 * No auth or validation (and, but for `floor`, no storage or audit): what is left is the cost of
 * HTTP, JSON and Socket.IO.
 *
 *   BASELINE=fastify PORT=… node -r ts-node/register/transpile-only test/bench/baseline-server.ts
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Server } from 'socket.io';
import { startFloor } from './support/floor';

interface SendBody {
  sender_id?: string;
  recipient_id: string;
  message: unknown;
}

function envelopeOf(mediator: string, senderId: string, body: SendBody) {
  return {
    id: randomUUID(),
    mediator,
    kind: 'message',
    type: 'direct',
    sender_id: senderId,
    recipient_id: body.recipient_id,
    payload: body.message,
    headers: {},
    correlation_id: null,
    created_at: new Date().toISOString(),
    status: 'pending',
  };
}

async function main(): Promise<void> {
  const kind = process.env.BASELINE ?? 'fastify';
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
  app.get('/health/live', async () => ({ status: 'ok' }));

  if (kind === 'floor') {
    await startFloor(app);
  } else if (kind === 'socketio') {
    const io = new Server(app.server, { path: '/ws', maxHttpBufferSize: 4 * 1024 * 1024 });
    io.on('connection', (socket) => {
      const { colleague } = socket.handshake.auth as { colleague?: string };
      if (colleague) void socket.join(colleague);
      socket.on('send', (body: SendBody & { mediator: string }, ack?: (r: unknown) => void) => {
        const envelope = envelopeOf(body.mediator, colleague ?? 'sender', body);
        io.to(envelope.recipient_id)
          .timeout(30_000)
          .emit('message', { ...envelope, status: 'delivered' }, () => undefined);
        ack?.({ ok: true, envelope });
      });
    });
    // A bare broadcast: the envelope emitted to every other connected socket, each with its own
    // ack (as every recipient's copy is acked), 202 at once — no storage, auth or audit.
    app.post<{ Params: { name: string }; Body: SendBody }>(
      '/api/v1/mediators/:name/broadcast',
      async (request, reply) => {
        const sender = request.body.sender_id ?? '';
        const envelope = envelopeOf(request.params.name, sender, request.body);
        for (const socket of io.of('/').sockets.values())
          if (socket.handshake.auth.colleague !== sender)
            socket
              .timeout(30_000)
              .emit(
                'message',
                { ...envelope, recipient_id: socket.handshake.auth.colleague, status: 'delivered' },
                () => undefined,
              );
        return reply.code(202).send(envelope);
      },
    );
  } else {
    // The same path as the service: parse JSON, answer 202 with an envelope.
    app.post<{ Params: { name: string }; Body: SendBody }>(
      '/api/v1/mediators/:name/messages',
      async (request, reply) =>
        reply
          .code(202)
          .send(envelopeOf(request.params.name, request.body.sender_id ?? '', request.body)),
    );
    // A small JSON read by name, the shape of GET /api/v1/mediators/{name}.
    app.get<{ Params: { name: string } }>('/api/v1/mediators/:name', async (request) => ({
      name: request.params.name,
      description: '',
      max_colleagues: 1000,
      colleague_count: 0,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    }));
  }

  await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  const close = () => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

void main();
