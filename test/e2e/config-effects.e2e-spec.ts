// The config keys of the original service each have their effect (issue 11): websocket.enabled,
// websocket.port, the buffer sizes as Socket.IO's message limit, security.rate_limit_enabled,
// timeout as the cap of timeout_ms, logging.format/output, and unknown keys (warning, --strict).
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { api, expectError } from '../support/http';
import {
  freePort,
  type RunningService,
  runUntilExit,
  startService,
  tempDir,
  writeConfig,
} from '../support/service';
import { adminToken, token } from '../support/tokens';
import { connected, emitAck, waitFor } from '../support/ws';

jest.setTimeout(60_000);

/** Resolves with the connect_error message of a socket that cannot connect. */
function refused(url: string, path = '/ws'): Promise<string> {
  const socket = io(url, {
    path,
    auth: { token: adminToken() },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error(`${url} accepted a Socket.IO connection`));
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}

describe('one service with the original-style keys set', () => {
  let service: RunningService;
  const logFile = join(tempDir(), 'logs', 'service.log');

  beforeAll(async () => {
    service = await startService({
      config: {
        timeout: '2s',
        max_colleages: 5,
        websocket: { read_buffer_size: 2048, write_buffer_size: 1024 },
        security: { rate_limit_enabled: false, rate_limit_requests: 2 },
        logging: { format: 'pretty', output: logFile },
      },
    });
  });
  afterAll(() => service?.stop());

  it('security.rate_limit_enabled: false: no 429 however many requests', async () => {
    const client = api(service.url, token({ sub: 'busy', scope: 'mediators:read' }));
    for (let i = 0; i < 10; i++) expect((await client.get('/mediators')).status).toBe(200);
  });

  it('timeout caps timeout_ms: a longer wait is 400 naming the field', async () => {
    const admin = api(service.url, adminToken());
    expect((await admin.post('/mediators', { name: 'capped' })).status).toBe(201);
    const res = await admin.post('/mediators/capped/commands', {
      sender_id: 'web',
      type: 'create_user',
      data: {},
      timeout_ms: '5s',
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.details).toEqual([
      { field: 'timeout_ms', problem: "timeout_ms must not exceed 2000 (the config's timeout)" },
    ]);
  });

  it('the larger buffer size is the Socket.IO message limit: a bigger message closes the socket', async () => {
    const socket = await connected(service.url, adminToken());
    const ack = await emitAck(socket, 'subscribe', { mediator: 'x'.repeat(1000) });
    expect(ack).toMatchObject({ ok: false });
    const closed = waitFor<string>(socket, 'disconnect');
    socket.emit('subscribe', { mediator: 'x'.repeat(3000) });
    expect(await closed).toBe('transport close');
  });

  it('logs pino-pretty lines to logging.output, with a warning for the unknown key', async () => {
    const text = readFileSync(logFile, 'utf8');
    expect(text).toMatch(
      /WARN.*config: unknown key max_colleages \(did you mean max_colleagues\?\); it is ignored/,
    );
    expect(text.split('\n')[0].startsWith('{')).toBe(false);
  });
});

it('websocket.port other than server.port: Socket.IO on its own listener only', async () => {
  const wsPort = await freePort();
  const service = await startService({ config: { websocket: { port: wsPort } } });
  try {
    const socket = await connected(`http://127.0.0.1:${wsPort}`, adminToken());
    expect(await emitAck(socket, 'subscribe', { mediator: '*' })).toMatchObject({ ok: true });
    socket.close();
    expect(await refused(service.url)).toBeTruthy();
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
  } finally {
    await service.stop();
  }
});

it('a websocket.port that is taken stops start-up with one line', async () => {
  const taken = createServer().listen(0, '0.0.0.0');
  await new Promise((resolve) => taken.once('listening', resolve));
  const { port } = taken.address() as AddressInfo;
  try {
    const file = writeConfig(tempDir(), { websocket: { port } });
    const { code, stderr } = await runUntilExit({
      CONFIG_FILE: file,
      PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      SQLITE_PATH: join(tempDir(), 'm.sqlite'),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^start-up failed: websocket.port ${port}: .*EADDRINUSE`, 'm'),
    );
  } finally {
    taken.close();
  }
});

it('websocket.enabled: false: no Socket.IO, REST unchanged', async () => {
  const service = await startService({ config: { websocket: { enabled: false } } });
  try {
    expect(await refused(service.url)).toBeTruthy();
    const polling = await fetch(`${service.url}/ws/?EIO=4&transport=polling`);
    expect(polling.status).toBe(404);
    const admin = api(service.url, adminToken());
    expect((await admin.post('/mediators', { name: 'rest-only' })).status).toBe(201);
    const doc = (await (await fetch(`${service.url}/docs-json`)).json()) as {
      info: { description: string };
    };
    expect(doc.info.description).toMatch(/Socket\.IO is switched off/);
  } finally {
    await service.stop();
  }
});

describe('unknown keys in strict mode', () => {
  it('--strict: the one-line error naming the key and the closest known key, exit 2', async () => {
    const file = writeConfig(tempDir(), { cache: { max_sise: 10 } });
    const { code, stderr } = await runUntilExit({ CONFIG_FILE: file }, 15000, ['--strict']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'config error: unknown key cache.max_sise (did you mean cache.max_size?) (strict mode)\n',
    );
  });

  it('config.strict: true does the same without the flag', async () => {
    const file = writeConfig(tempDir(), { config: { strict: true }, max_colleages: 5 });
    const { code, stderr } = await runUntilExit({ CONFIG_FILE: file });
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^config error: unknown key max_colleages \(did you mean max_colleagues\?\)/,
    );
  });
});
