/**
 * The service against bare baselines in the same run (issue 8, goals 1, 2 and 4), each baseline
 * in its own process, in alternating rounds:
 *
 * - durable `POST …/messages` (stored, audited, outbox event, pushed over Socket.IO to a
 *   recipient that acks) vs a bare Fastify POST parsing the same body (JSON → 202);
 * - `GET /health/live` vs a bare Fastify GET;
 * - authenticated `GET /api/v1/mediators/{name}` vs a bare Fastify GET of the same shape;
 * - Socket.IO `send` with ack, to a connected recipient that acks, vs a bare Socket.IO relay;
 * - the floor of the durable send (the same work by hand, no framework: support/floor.ts) vs the
 *   bare Fastify POST — the best ratio the send could reach here — and the service vs the floor;
 *   the same floor over Socket.IO vs the bare relay;
 * - then each send at a fixed rate of 70 % of the service's own measured maximum, for its p99.
 *
 *   npm run bench -- ratios          (BENCH_QUICK=1 for a smoke run; see README.md for the knobs)
 */
import * as load from './support/load';
import { CONNECTIONS, Recipient, WARMUP_SECONDS } from './support/load';
import {
  buildOnce,
  colleagueToken,
  createMediator,
  startBaseline,
  startService,
  tokenFor,
} from './support/processes';
import {
  comparisonTable,
  figuresTable,
  machineLine,
  newSection,
  writeSection,
} from './support/results';

const MEDIATOR = 'bench';
const MESSAGE = { order_id: 'o-1001', amount: 42.5, items: ['book', 'pen'] };

async function main(): Promise<void> {
  buildOnce();
  const section = newSection('ratios');
  const service = await startService();
  const fastify = await startBaseline('fastify');
  const relay = await startBaseline('socketio');
  const floor = await startBaseline('floor');
  const recipients: Recipient[] = [];
  try {
    await createMediator(service.url, MEDIATOR, ['sender', 'recipient']);
    const serviceRecipient = await Recipient.connect(service.url, {
      token: colleagueToken(MEDIATOR, 'recipient'),
    });
    const relayRecipient = await Recipient.connect(relay.url, { colleague: 'recipient' });
    const floorRecipient = await Recipient.connect(floor.url, { colleague: 'recipient' });
    recipients.push(serviceRecipient, relayRecipient, floorRecipient);

    const sendBody = JSON.stringify({
      sender_id: 'sender',
      recipient_id: 'recipient',
      message: MESSAGE,
    });
    const json = { 'content-type': 'application/json' };
    const servicePost: load.HttpTarget = {
      url: `${service.url}/api/v1/mediators/${MEDIATOR}/messages`,
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${colleagueToken(MEDIATOR, 'sender')}` },
      body: sendBody,
    };
    const barePost: load.HttpTarget = {
      url: `${fastify.url}/api/v1/mediators/${MEDIATOR}/messages`,
      method: 'POST',
      headers: json,
      body: sendBody,
    };
    const floorPost: load.HttpTarget = {
      ...barePost,
      url: `${floor.url}${new URL(barePost.url).pathname}`,
    };
    const reader = tokenFor({ sub: 'bench-reader', scope: 'mediators:read' });
    const serviceRead = {
      url: `${service.url}/api/v1/mediators/${MEDIATOR}`,
      headers: { authorization: `Bearer ${reader}` },
    };
    const socketSend = (url: string, auth: Record<string, string>): load.SocketTarget => ({
      url,
      auth,
      event: 'send',
      payload: { mediator: MEDIATOR, recipient_id: 'recipient', message: MESSAGE },
    });
    const serviceSocket = socketSend(service.url, { token: colleagueToken(MEDIATOR, 'sender') });
    const relaySocket = socketSend(relay.url, { colleague: 'sender' });
    const warm = { seconds: WARMUP_SECONDS };

    process.stderr.write('running…\n');
    // BENCH_COMPARE=live,read runs only those comparisons (send, live, read, socket, floor).
    const only = process.env.BENCH_COMPARE?.split(',');
    const wanted = (key: string) => !only || only.includes(key);
    const comparisons: load.Comparison[] = [];
    if (wanted('send'))
      comparisons.push(
        await load.compare(
          'POST /messages (durable, pushed, acked) vs bare Fastify POST',
          0.5,
          () =>
            load.http('service POST /messages', service, servicePost, {
              recipients: [serviceRecipient],
            }),
          () => load.http('bare Fastify POST (JSON → 202)', fastify, barePost),
          {
            service: () => load.http('warm-up', service, servicePost, warm),
            baseline: () => load.http('warm-up', fastify, barePost, warm),
          },
        ),
      );
    if (wanted('live'))
      comparisons.push(
        await load.compare(
          'GET /health/live vs bare Fastify GET',
          0.9,
          () =>
            load.http('service GET /health/live', service, { url: `${service.url}/health/live` }),
          () => load.http('bare Fastify GET', fastify, { url: `${fastify.url}/health/live` }),
          {
            service: () =>
              load.http('warm-up', service, { url: `${service.url}/health/live` }, warm),
            baseline: () =>
              load.http('warm-up', fastify, { url: `${fastify.url}/health/live` }, warm),
          },
        ),
      );
    if (wanted('read'))
      comparisons.push(
        await load.compare(
          'GET /api/v1/mediators/{name} (authenticated) vs bare Fastify GET',
          0.6,
          () => load.http('service GET /mediators/{name}', service, serviceRead),
          () =>
            load.http('bare Fastify GET /mediators/:name', fastify, {
              url: `${fastify.url}/api/v1/mediators/${MEDIATOR}`,
            }),
          {
            service: () => load.http('warm-up', service, serviceRead, warm),
            baseline: () =>
              load.http(
                'warm-up',
                fastify,
                { url: `${fastify.url}/api/v1/mediators/${MEDIATOR}` },
                warm,
              ),
          },
        ),
      );
    if (wanted('socket'))
      comparisons.push(
        await load.compare(
          'Socket.IO send with ack vs bare Socket.IO relay',
          0.5,
          () =>
            load.socket('service Socket.IO send', service, serviceSocket, {
              recipients: [serviceRecipient],
            }),
          () =>
            load.socket('bare Socket.IO relay', relay, relaySocket, {
              recipients: [relayRecipient],
            }),
          {
            service: () => load.socket('warm-up', service, serviceSocket, warm),
            baseline: () => load.socket('warm-up', relay, relaySocket, warm),
          },
        ),
      );
    if (wanted('floor')) {
      const floorRun = (name: string, options?: { seconds: number }) =>
        load.http(name, floor, floorPost, { recipients: [floorRecipient], ...options });
      comparisons.push(
        await load.compare(
          'floor of the durable send (by hand, no framework) vs bare Fastify POST',
          0.5,
          () => floorRun('floor POST /messages (by hand)'),
          () => load.http('bare Fastify POST (JSON → 202)', fastify, barePost),
          {
            service: () => floorRun('warm-up', warm),
            baseline: () => load.http('warm-up', fastify, barePost, warm),
          },
        ),
        await load.compare(
          'POST /messages (durable, pushed, acked) vs its floor by hand',
          undefined,
          () =>
            load.http('service POST /messages', service, servicePost, {
              recipients: [serviceRecipient],
            }),
          () => floorRun('floor POST /messages (by hand)'),
          {
            service: () => load.http('warm-up', service, servicePost, warm),
            baseline: () => floorRun('warm-up', warm),
          },
        ),
      );
      const floorSocket = socketSend(floor.url, { colleague: 'sender' });
      const floorSocketRun = (name: string, options?: { seconds: number }) =>
        load.socket(name, floor, floorSocket, { recipients: [floorRecipient], ...options });
      comparisons.push(
        await load.compare(
          'floor of the durable Socket.IO send (by hand) vs bare Socket.IO relay',
          0.5,
          () => floorSocketRun('floor Socket.IO send (by hand)'),
          () =>
            load.socket('bare Socket.IO relay', relay, relaySocket, {
              recipients: [relayRecipient],
            }),
          {
            service: () => floorSocketRun('warm-up', warm),
            baseline: () => load.socket('warm-up', relay, relaySocket, warm),
          },
        ),
      );
    }

    // p99 at 70 % of the service's own maximum (the median round above), HTTP and Socket.IO.
    const postMax = wanted('send') ? comparisons[0].service.rps : 0;
    const fixedRate = postMax
      ? [
          await load.http('service POST /messages at 70 % of max', service, servicePost, {
            rate: Math.max(1, Math.round(0.7 * postMax)),
            recipients: [serviceRecipient],
          }),
        ]
      : [];

    section.comparisons = comparisons;
    section.fixedRate = fixedRate;
    section.notes = [
      `${CONNECTIONS} connections (HTTP: autocannon connections; Socket.IO: sockets in a closed loop)`,
      'goal 1 also asks p99 ≤ 25 ms in the fixed-rate run',
    ];
    writeSection(section);

    const rows = comparisons.flatMap((c) => [c.service, c.baseline]).concat(fixedRate);
    console.log(
      [machineLine(section), '', figuresTable(rows), '', comparisonTable(comparisons)].join('\n'),
    );
  } finally {
    recipients.forEach((r) => r.close());
    await Promise.all([service.stop(), fastify.stop(), relay.stop(), floor.stop()]);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
