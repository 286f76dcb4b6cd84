/**
 * A CPU profile of the service under one load, summarised: the top frames by self time and the
 * share of each package, counted over the load only (start-up and fixtures left out).
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only test/bench/profile.ts [send|live|read|socket|broadcast]
 *
 * Env: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 50), BENCH_TOP (frames, 25);
 * `broadcast`: BENCH_BROADCAST_TO connected colleagues (1000), BENCH_BROADCAST_RATE per second (5).
 * The .cpuprofile is kept in BENCH_OUT (open it in Chrome DevTools or speedscope).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as load from './support/load';
import { Recipient } from './support/load';
import {
  ADMIN,
  buildOnce,
  call,
  colleagueToken,
  createMediator,
  startService,
  tokenFor,
} from './support/processes';
import { OUT } from './support/results';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

const MEDIATOR = 'bench';
const TOP = Number(process.env.BENCH_TOP ?? 25);
const BROADCAST_TO = Number(process.env.BENCH_BROADCAST_TO ?? 1000);
const BROADCAST_RATE = Number(process.env.BENCH_BROADCAST_RATE ?? 5);

/** Where a frame comes from: an npm package, a file of this repo, or the runtime. */
function origin(url: string, name: string): string {
  const pkg = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  const own = url.match(/dist\/((apps|libs)\/[^/]+)/);
  if (own) return own[1];
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url ? 'other' : name; // (idle), (garbage collector), (program), native writev…
}

/** Self-time shares over the samples taken between `from` and `to` (µs since the epoch). */
export function summarise(profile: Profile, from: number, to: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i];
    if (t < from || t > to) return;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, 'dist/');
    const frame = `${functionName || '(anonymous)'} ${file}${url ? `:${lineNumber + 1}` : ''}`;
    frames.set(frame, (frames.get(frame) ?? 0) + 1);
    const from_ = origin(url, functionName);
    packages.set(from_, (packages.get(from_) ?? 0) + 1);
    total++;
  });
  const top = (m: Map<string, number>, count: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([k, v]) => `| ${((100 * v) / total).toFixed(1)} % | ${k} |`);
  return [
    `${total} samples during the load`,
    '',
    '| self time | frame |',
    '| ---: | --- |',
    ...top(frames, TOP),
    '',
    '| self time | from |',
    '| ---: | --- |',
    ...top(packages, TOP),
  ].join('\n');
}

async function main(): Promise<void> {
  const what = process.argv[2] ?? 'send';
  buildOnce();
  const profiles = join(OUT, `profile-${what}-${Date.now()}`);
  mkdirSync(profiles, { recursive: true });
  const service = await startService({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profiles}`] });
  let recipient: Recipient | undefined;
  const listeners: Recipient[] = [];
  let from = 0;
  let to = 0;
  try {
    await createMediator(service.url, MEDIATOR, ['sender', 'recipient']);
    recipient = await Recipient.connect(service.url, {
      token: colleagueToken(MEDIATOR, 'recipient'),
    });
    const sender = colleagueToken(MEDIATOR, 'sender');
    const message = { order_id: 'o-1001', amount: 42.5, items: ['book', 'pen'] };
    if (what === 'broadcast') listeners.push(...(await broadcastListeners(service.url)));
    const run = () => {
      switch (what) {
        case 'live':
          return load.http(what, service, { url: `${service.url}/health/live` });
        case 'read':
          return load.http(what, service, {
            url: `${service.url}/api/v1/mediators/${MEDIATOR}`,
            headers: {
              authorization: `Bearer ${tokenFor({ sub: 'reader', scope: 'mediators:read' })}`,
            },
          });
        case 'broadcast':
          return load.http(
            what,
            service,
            {
              url: `${service.url}/api/v1/mediators/fan/broadcast`,
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${colleagueToken('fan', 'announcer')}`,
              },
              body: JSON.stringify({ sender_id: 'announcer', message }),
            },
            { connections: 1, rate: BROADCAST_RATE, recipients: listeners },
          );
        case 'socket':
          return load.socket(what, service, {
            url: service.url,
            auth: { token: sender },
            event: 'send',
            payload: { mediator: MEDIATOR, recipient_id: 'recipient', message },
          });
        default:
          return load.http(
            what,
            service,
            {
              url: `${service.url}/api/v1/mediators/${MEDIATOR}/messages`,
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${sender}` },
              body: JSON.stringify({ sender_id: 'sender', recipient_id: 'recipient', message }),
            },
            { recipients: [recipient!] },
          );
      }
    };
    // Profile timestamps are µs of the system's monotonic clock, the clock of process.hrtime.
    const now = () => Number(process.hrtime.bigint() / 1000n);
    from = now();
    const figures = await run();
    to = now();
    const deliveries = figures.deliveries
      ? `; ${figures.deliveries.count} deliveries, p50 ${figures.deliveries.p50Ms} ms, p99 ${figures.deliveries.p99Ms} ms`
      : '';
    console.log(
      `${what}: ${figures.rps.toFixed(0)} req/s, p99 ${figures.p99Ms} ms, CPU ${figures.cpuUsPerRequest.toFixed(0)} µs/req${deliveries}\n`,
    );
  } finally {
    recipient?.close();
    listeners.forEach((l) => l.close());
    await service.stop();
  }
  const file = readdirSync(profiles).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  const profile = JSON.parse(readFileSync(join(profiles, file), 'utf8')) as Profile;
  copyFileSync(join(profiles, file), join(OUT, `profile-${what}.cpuprofile`));
  console.log(summarise(profile, from, to));
}

/** BENCH_BROADCAST_TO colleagues of the mediator `fan`, each connected and acking. */
async function broadcastListeners(url: string): Promise<Recipient[]> {
  const ids = Array.from({ length: BROADCAST_TO }, (_, i) => `f${i}`);
  await createMediator(url, 'fan', ['announcer'], BROADCAST_TO + 10);
  const admin = ADMIN();
  for (const id of ids)
    await call(url, admin, 'POST', '/mediators/fan/colleagues', { id, name: id, type: 'message' });
  const listeners: Recipient[] = [];
  for (let i = 0; i < ids.length; i += 100)
    listeners.push(
      ...(await Promise.all(
        ids
          .slice(i, i + 100)
          .map((id) => Recipient.connect(url, { token: colleagueToken('fan', id) })),
      )),
    );
  return listeners;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`profile failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
