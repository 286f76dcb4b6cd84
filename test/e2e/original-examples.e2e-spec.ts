// examples/original/kinds.js — the original service's ten kind examples with its own values
// (status running, used 50, durations "1m"/"90s") — runs against the built service and exits 0.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { JWT_SECRET, ROOT, type RunningService, startService } from '../support/service';

jest.setTimeout(120_000);
const run = promisify(execFile);

let service: RunningService;

beforeAll(async () => {
  // The example uses the built client library, as a user of the repository would.
  await run('npm', ['run', '-s', 'client:build'], { cwd: ROOT });
  service = await startService();
});
afterAll(() => service?.stop());

async function runExample(): Promise<string[]> {
  const { stdout } = await run(process.execPath, [join(ROOT, 'examples/original/kinds.js')], {
    cwd: ROOT,
    env: { ...process.env, MEDIATOR_URL: service.url, JWT_SECRET },
    timeout: 60_000,
  });
  return stdout.trim().split('\n');
}

it('runs the ten kinds, with the values of the original examples', async () => {
  const lines = await runExample();
  const expected = [
    /^message +colleague2 got "Hello from colleague 1"$/,
    /^event +user_service heard user_created \{"user_id":"123"\}$/,
    /^command +create_user → \{"user_id":"123","name":"John Doe"\}$/,
    /^query +get_user → \{"user_id":"123","name":"John Doe"\}$/,
    /^notification +mailer sends .*"content":"Welcome to our service!"/,
    /^notification +\S+ delivered$/,
    /^workflow +user_registration completed$/,
    /^service +user_service microservice: registered running, answered healthy$/,
    /^resource +database_connection: capacity 100, used 50; leased 50, the next 1 refused \(INSUFFICIENT_CAPACITY\)$/,
    /^task +process_payment completed \{"paid":true\}$/,
    /^job +daily_report \(0 0 \* \* \*\) next run \S+T00:00:00.000Z$/,
    /^done +all ten kinds worked$/,
  ];
  for (const pattern of expected) expect(lines).toContainEqual(expect.stringMatching(pattern));
});

it('runs again on the same service (what exists is reused)', async () => {
  expect((await runExample()).at(-1)).toMatch(/all ten kinds worked/);
});
