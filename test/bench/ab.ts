/**
 * Builds against each other at the same fixed request rate: CPU µs per request of each build,
 * alternating, all services started once. At a fixed rate both builds do the same work per second
 * (the send's group commits carry about as many messages each), so the CPU per request compares
 * the builds even on a shared machine, where the saturated figures swing with the load.
 *
 *   BENCH_AB="before=/tmp/before/dist/apps/mediator-service/src/main.js,after=dist/apps/mediator-service/src/main.js" \
 *     npx ts-node -r tsconfig-paths/register --transpile-only test/bench/ab.ts [send,read,live]
 *
 * Env: BENCH_RATE_SEND (1000/s), BENCH_RATE_READ (4000/s; 0: as fast as the build answers),
 * BENCH_DURATION (s, 10), BENCH_ROUNDS (3).
 */
import * as load from './support/load';
import { median, Recipient } from './support/load';
import {
  colleagueToken,
  createMediator,
  type RunningService,
  startService,
  tokenFor,
} from './support/processes';

const MEDIATOR = 'bench';
const RATES: Record<string, number> = {
  send: Number(process.env.BENCH_RATE_SEND ?? 1000),
  read: Number(process.env.BENCH_RATE_READ ?? 4000),
  live: Number(process.env.BENCH_RATE_READ ?? 4000),
};

interface Build {
  label: string;
  service: RunningService;
  recipient: Recipient;
  cpu: Record<string, number[]>;
}

function run(what: string, build: Build, seconds: number): Promise<load.Figures> {
  const { service } = build;
  const options = { rate: RATES[what], seconds, connections: 50 };
  const message = { order_id: 'o-1001', amount: 42.5, items: ['book', 'pen'] };
  switch (what) {
    case 'live':
      return load.http(what, service, { url: `${service.url}/health/live` }, options);
    case 'read':
      return load.http(
        what,
        service,
        {
          url: `${service.url}/api/v1/mediators/${MEDIATOR}`,
          headers: {
            authorization: `Bearer ${tokenFor({ sub: 'reader', scope: 'mediators:read' })}`,
          },
        },
        options,
      );
    default:
      return load.http(
        what,
        service,
        {
          url: `${service.url}/api/v1/mediators/${MEDIATOR}/messages`,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${colleagueToken(MEDIATOR, 'sender')}`,
          },
          body: JSON.stringify({ sender_id: 'sender', recipient_id: 'recipient', message }),
        },
        { ...options, recipients: [build.recipient] },
      );
  }
}

async function main(): Promise<void> {
  const loads = (process.argv[2] ?? 'send,read,live').split(',');
  const specs = (process.env.BENCH_AB ?? '').split(',').filter(Boolean);
  if (specs.length === 0) throw new Error('BENCH_AB="label=main.js,label=main.js" is required');
  const builds: Build[] = [];
  try {
    for (const spec of specs) {
      const [label, main] = spec.split('=');
      const service = await startService({ main });
      await createMediator(service.url, MEDIATOR, ['sender', 'recipient']);
      const recipient = await Recipient.connect(service.url, {
        token: colleagueToken(MEDIATOR, 'recipient'),
      });
      builds.push({ label, service, recipient, cpu: {} });
    }
    for (const what of loads) {
      for (const build of builds) await run(what, build, load.WARMUP_SECONDS);
      for (let round = 0; round < load.ROUNDS; round++)
        for (const build of builds) {
          const figures = await run(what, build, load.SECONDS);
          (build.cpu[what] ??= []).push(figures.cpuUsPerRequest);
          console.log(
            `${what} ${build.label} round ${round + 1}: ${figures.rps.toFixed(0)} req/s, ` +
              `p99 ${figures.p99Ms} ms, CPU ${figures.cpuUsPerRequest.toFixed(1)} µs/req`,
          );
        }
    }
    console.log(
      '\n| load | fixed rate | ' +
        builds.map((b) => `${b.label}: CPU µs/req (median, runs)`).join(' | ') +
        ' |',
    );
    console.log('| --- | ---: | ' + builds.map(() => '---:').join(' | ') + ' |');
    for (const what of loads)
      console.log(
        `| ${what} | ${RATES[what] ? `${RATES[what]}/s` : 'saturated'} | ` +
          builds
            .map(
              (b) =>
                `${median(b.cpu[what]).toFixed(0)} (${b.cpu[what].map((x) => x.toFixed(0)).join(', ')})`,
            )
            .join(' | ') +
          ' |',
      );
  } finally {
    for (const build of builds) {
      build.recipient.close();
      await build.service.stop();
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
