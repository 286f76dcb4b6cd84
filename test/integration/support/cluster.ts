// Helpers of the suites that run several instances of the BUILT service against the real servers
// (multi-instance, faults): REST calls, polling, and a crash by SIGKILL.
import { execFileSync } from 'node:child_process';
import type { RunningService } from '../../support/service';
import { sleep } from '../../support/ws';

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function call(
  base: string,
  method: string,
  path: string,
  bearer: string,
  body?: unknown,
): Promise<Reply> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Polls `probe` until it returns a value `accept` likes; fails with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (v: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await sleep(100);
    last = await probe();
  }
  return last;
}

/** SIGKILL, as a crash: no shutdown hook runs, so nothing is cleaned up behind the instance. */
export function crash(service: RunningService): void {
  const port = new URL(service.url).port;
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`no process listens on port ${port}: ${out}`);
  process.kill(Number(pid), 'SIGKILL');
}
