// @mediator/client against the built service: every method of MediatorClient, typed REST errors,
// reconnects (deliveries missed while away arrive once), a handler that throws (redelivered), a
// request that times out, deduplication of a redelivery, and the browser bundle loaded without a
// browser.
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { WebSocket } from 'ws';
import {
  type ConnectionState,
  type Envelope,
  HandlerFailedError,
  MediatorClient,
  MediatorNotFoundError,
  NoHandlerError,
  RateLimitedError,
  RequestTimeoutError,
  UnauthorizedError,
  ValidationFailedError,
} from '@mediator/client';
import type { Connection } from '@mediator/client/connection';
import { browserBuild } from '../../libs/client/scripts/build';
import { api, type Api, eventually } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken, token } from '../support/tokens';

jest.setTimeout(30_000);

const M = 'shop';
const COLLEAGUES = [
  { id: 'web', type: 'message' },
  { id: 'billing', type: 'command', handles: ['charge', 'refund', 'hang'] },
  { id: 'shipping', type: 'task', subscriptions: ['order_placed'] },
  { id: 'stock', type: 'query', handles: ['stock_level'] },
  { id: 'browser', type: 'message' },
];

/** Resolves once the client, connected now, has lost its connection and is connected again. */
function reconnected(client: MediatorClient, timeoutMs = 10_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const seen: ConnectionState[] = [];
    const timer = setTimeout(() => {
      off();
      reject(new Error(`not reconnected within ${timeoutMs} ms (states: ${seen.join(', ')})`));
    }, timeoutMs);
    const off = client.onConnectionState((state) => {
      seen.push(state);
      if (state === 'connected' && seen.includes('reconnecting')) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}

/** Drops the client's connection as a network failure would, and resolves once it is back. */
async function dropConnection(client: MediatorClient): Promise<void> {
  const back = reconnected(client);
  socketOf(client).io.engine.close();
  await back;
}

function socketOf(client: MediatorClient) {
  return (client as unknown as { connection: Connection }).connection.socket;
}

/** Resolves once `predicate` holds for the recorded values (polled). */
const until = (check: () => void) => eventually(async () => check(), 10_000);

describe('@mediator/client', () => {
  let service: RunningService;
  let admin: Api;
  const clients: MediatorClient[] = [];
  const connect = async (
    colleague: string,
    extra: Partial<Parameters<typeof MediatorClient.connect>[1]> = {},
  ) => {
    const client = await MediatorClient.connect(service.url, {
      token: colleagueToken(M, colleague),
      mediator: M,
      colleague,
      reconnectDelayMs: 100,
      ...extra,
    });
    clients.push(client);
    return client;
  };
  const statusOf = async (messageId: string) =>
    (await admin.get(`/mediators/${M}/messages/${messageId}`)).body;

  beforeAll(async () => {
    // Quick retries, so a refused message is dead within a second (retry_count stays 3).
    service = await startService({
      config: { messaging: { backoff: '100ms', max_backoff: '200ms', sweep_interval: '100ms' } },
    });
    admin = api(service.url, adminToken());
    expect((await admin.post('/mediators', { name: M })).status).toBe(201);
    for (const c of COLLEAGUES)
      expect((await admin.post(`/mediators/${M}/colleagues`, { name: c.id, ...c })).status).toBe(
        201,
      );
  }, 60_000);

  // Closed after every test, also a failed one: a client left open would take later deliveries.
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    await service?.stop();
  });

  describe('connect', () => {
    it('refuses a bad token with UnauthorizedError', async () => {
      await expect(
        MediatorClient.connect(service.url, { token: 'not-a-jwt', mediator: M, colleague: 'web' }),
      ).rejects.toBeInstanceOf(UnauthorizedError);
    });
  });

  describe('connect with the binding of the token', () => {
    it('takes mediator and colleague from the token claims', async () => {
      const web = await MediatorClient.connect(service.url, { token: colleagueToken(M, 'web') });
      clients.push(web);
      expect({ mediator: web.mediator, colleague: web.colleague }).toEqual({
        mediator: M,
        colleague: 'web',
      });
      await expect(web.send('browser', 'bound by the token')).resolves.toMatchObject({
        sender_id: 'web',
      });
    });
  });

  describe('messages', () => {
    it('send reaches onMessage; the delivery is acked when the handler resolves', async () => {
      const [web, shipping] = [await connect('web'), await connect('shipping')];
      const received: Envelope[] = [];
      shipping.onMessage((m) => void received.push(m));
      const sent = await web.send('shipping', { order_id: 'o-1' }, { type: 'order_paid' });
      expect(sent).toMatchObject({
        sender_id: 'web',
        recipient_id: 'shipping',
        type: 'order_paid',
      });
      await until(() =>
        expect(received.filter((m) => m.id === sent.id).map((m) => m.payload)).toEqual([
          { order_id: 'o-1' },
        ]),
      );
      await until(async () =>
        expect((await statusOf(sent.id)).recipients).toEqual([
          expect.objectContaining({ recipient_id: 'shipping', status: 'acked' }),
        ]),
      );
    });

    it('send with the same idempotency key returns the first envelope', async () => {
      const web = await connect('web');
      const first = await web.send('browser', 'once', { idempotencyKey: 'k-1' });
      const again = await web.send('browser', 'once', { idempotencyKey: 'k-1' });
      expect(again.id).toBe(first.id);
    });

    it('broadcast reaches every other active colleague', async () => {
      const [web, billing] = [await connect('web'), await connect('billing')];
      const got: Envelope[] = [];
      billing.onMessage((m) => void got.push(m));
      const sent = await web.broadcast('prices change at midnight');
      expect(sent.recipients).toBe(COLLEAGUES.length - 1);
      await until(() =>
        expect(got.filter((m) => m.id === sent.id).map((m) => m.payload)).toEqual([
          'prices change at midnight',
        ]),
      );
    });

    it('a handler that throws refuses the delivery: it comes again until the handler takes it', async () => {
      // Issue 9: a refusal is a negative acknowledgement; the service redelivers after a backoff
      // (messaging.backoff) while the colleague stays connected, and it ends acked.
      const [web, shipping] = [await connect('web'), await connect('shipping')];
      const calls: string[] = [];
      shipping.onMessage((m) => {
        calls.push(m.id);
        if (calls.filter((id) => id === m.id).length === 1)
          throw Object.assign(new Error('label printer jammed'), { code: 'PRINTER_JAMMED' });
      });
      const sent = await web.send('shipping', { order_id: 'o-2' });
      await until(() => expect(calls.filter((id) => id === sent.id)).toHaveLength(2));
      await until(async () => expect((await statusOf(sent.id)).recipients[0].status).toBe('acked'));
      expect(calls.filter((id) => id === sent.id)).toHaveLength(2);
    });

    it('a message refused every time ends dead; redeliver brings it back', async () => {
      const [web, shipping] = [await connect('web'), await connect('shipping')];
      let broken = true;
      const calls: string[] = [];
      shipping.onMessage((m) => {
        calls.push(m.id);
        if (broken) throw Object.assign(new Error('label printer jammed'), { code: 'JAMMED' });
      });
      const sent = await web.send('shipping', { order_id: 'o-3' });
      await until(async () => expect((await statusOf(sent.id)).recipients[0].status).toBe('dead'));
      expect(calls.filter((id) => id === sent.id)).toHaveLength(4); // the first + retry_count 3

      broken = false;
      const again = await shipping.redeliver(sent.id);
      expect(again.id).toBe(sent.id);
      await until(async () => expect((await statusOf(sent.id)).recipients[0].status).toBe('acked'));
      expect(calls.filter((id) => id === sent.id)).toHaveLength(5);
    });

    it('messages sent while the recipient reconnects arrive after the reconnect, once each', async () => {
      const [web, shipping] = [await connect('web'), await connect('shipping')];
      const received: Envelope[] = [];
      shipping.onMessage((m) => void received.push(m));
      const back = new Promise<void>((resolve) =>
        shipping.onConnectionState((state) => state === 'connected' && resolve()),
      );
      const away = new Promise<void>((resolve) =>
        shipping.onConnectionState((state) => state === 'reconnecting' && resolve()),
      );
      socketOf(shipping).io.engine.close();
      socketOf(web).io.engine.close(); // the sender is reconnecting too: REST sends regardless
      await away;
      const sent: string[] = [];
      for (let n = 1; n <= 3; n++) sent.push((await web.send('shipping', { n })).id);
      await back;
      const ours = () => received.filter((m) => sent.includes(m.id)).map((m) => m.payload);
      await until(() => expect(ours()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]));
    });

    it('a redelivery of a message still being handled never reaches the handler twice', async () => {
      const [web, shipping] = [await connect('web'), await connect('shipping')];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const calls: string[] = [];
      const raw: string[] = [];
      socketOf(shipping).on('message', (e: Envelope) => raw.push(e.id));
      shipping.onMessage(async (m) => {
        calls.push(m.id);
        await gate;
      });
      const sent = await web.send('shipping', 'slow to handle');
      await until(() => expect(calls).toEqual([sent.id]));
      // Unacked when the connection drops: the service sends it again on reconnect.
      await dropConnection(shipping);
      await until(() => expect(raw).toEqual([sent.id, sent.id]));
      release();
      await until(async () => expect((await statusOf(sent.id)).recipients[0].status).toBe('acked'));
      expect(calls).toEqual([sent.id]);
    });
  });

  describe('commands and queries', () => {
    it('request reaches the handler of its type and resolves with its result', async () => {
      const [web, billing] = [await connect('web'), await connect('billing')];
      billing.handle<{ total: number }>('charge', async ({ total }) => ({ charged: total }));
      await expect(web.request('charge', { total: 42 }, { timeoutMs: 5000 })).resolves.toEqual({
        charged: 42,
      });
    });

    it('a handler that throws fails the request with its code (HandlerFailedError)', async () => {
      const [web, billing] = [await connect('web'), await connect('billing')];
      billing.handle('refund', () => {
        throw Object.assign(new Error('card expired'), { code: 'CARD_EXPIRED' });
      });
      const error = await web.request('refund', {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HandlerFailedError);
      expect(error).toMatchObject({ code: 'CARD_EXPIRED', message: 'card expired', status: 422 });
    });

    it('a request nobody answers in time fails with RequestTimeoutError', async () => {
      const [web, billing] = [await connect('web'), await connect('billing')];
      billing.handle('hang', () => new Promise(() => undefined));
      const error = await web.request('hang', {}, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestTimeoutError);
      expect(error).toMatchObject({ status: 504, code: 'REQUEST_TIMEOUT' });
    });

    it('a type no online colleague handles fails with NoHandlerError', async () => {
      const web = await connect('web');
      await expect(web.request('teleport', {})).rejects.toBeInstanceOf(NoHandlerError);
    });

    it('query reaches the handler of a query type', async () => {
      const [web, stock] = [await connect('web'), await connect('stock')];
      stock.handle<{ sku: string }>('stock_level', ({ sku }) => ({ sku, level: 7 }));
      await expect(web.query('stock_level', { sku: 'a-1' })).resolves.toEqual({
        sku: 'a-1',
        level: 7,
      });
    });
  });

  describe('events', () => {
    it('publish reaches subscribe', async () => {
      const [web, shipping] = [await connect('web'), await connect('shipping')];
      const seen: unknown[] = [];
      shipping.subscribe('order_placed', (data) => void seen.push(data));
      const published = await web.publish('order_placed', { order_id: 'o-3' });
      expect(published).toMatchObject({ type: 'order_placed', duplicate: false });
      await until(() => expect(seen).toEqual([{ order_id: 'o-3' }]));
    });
  });

  describe('tasks', () => {
    it('work claims and completes tasks, and fails them when the handler throws', async () => {
      const [web, shipping] = [await connect('web'), await connect('shipping')];
      const worker = shipping.work<{ label: string }>(
        'ship',
        async (task) => {
          const { parcel } = task.data as { parcel: string };
          if (parcel === 'lost') throw new Error('no such parcel');
          return { label: `label-${parcel}` };
        },
        { concurrency: 2, pollIntervalMs: 200 },
      );
      const submit = async (parcel: string) =>
        (
          await web.api.tasks.submit({
            path: { name: M },
            body: { name: `ship ${parcel}`, type: 'ship', priority: 1, data: { parcel } },
          })
        ).id;
      const ids = await Promise.all(['p1', 'p2', 'p3'].map(submit));
      const lost = await submit('lost');
      await until(async () => {
        for (const [i, id] of ids.entries()) {
          const task = await web.api.tasks.get({ path: { name: M, id } });
          expect(task).toMatchObject({ status: 'completed', result: { label: `label-p${i + 1}` } });
        }
      });
      await until(async () => {
        const task = await web.api.tasks.get({ path: { name: M, id: lost } });
        // The service stores the message as given (the OpenAPI document says object).
        expect(JSON.stringify(task.error)).toContain('no such parcel');
      });
      await worker.stop();
    });
  });

  describe('lifecycle events', () => {
    it('on() receives lifecycle events, also after a reconnect', async () => {
      const web = await connect('web');
      const registered: string[] = [];
      const off = web.on<{ id: string }>('colleague_registered', (e) => registered.push(e.data.id));
      await off.ready;
      await admin.post(`/mediators/${M}/colleagues`, {
        id: 'late-1',
        name: 'late',
        type: 'message',
      });
      await until(() => expect(registered).toEqual(['late-1']));
      await dropConnection(web);
      await admin.post(`/mediators/${M}/colleagues`, {
        id: 'late-2',
        name: 'late',
        type: 'message',
      });
      await until(() => expect(registered).toEqual(['late-1', 'late-2']));
      off();
    });
  });

  describe('REST operations and errors', () => {
    it('reaches every operation through api, typed, with typed errors', async () => {
      const web = await connect('web');
      await expect(web.api.mediators.get({ path: { name: M } })).resolves.toMatchObject({
        name: M,
      });
      const missing = await web.api.messages
        .get({ path: { name: M, message_id: '00000000-0000-7000-8000-000000000000' } })
        .catch((e: unknown) => e);
      expect(missing).toMatchObject({ status: 404, code: 'MESSAGE_NOT_FOUND' });
      const other = await MediatorClient.connect(service.url, {
        token: adminToken(),
        mediator: 'nope',
        colleague: 'admin',
      });
      clients.push(other);
      const notFound = await other.api.mediators.get({ path: { name: 'nope' } }).catch((e) => e);
      expect(notFound).toBeInstanceOf(MediatorNotFoundError);
      expect(notFound.requestId).toEqual(expect.any(String));
      const invalid = await web.send('', 'to nobody').catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(ValidationFailedError);
      expect((invalid as ValidationFailedError).details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'recipient_id' })]),
      );
    });

    it('RateLimitedError carries Retry-After', async () => {
      const limited = await startService({
        config: { security: { rate_limit_requests: 2, rate_limit_window: '1m' } },
      });
      try {
        const client = await MediatorClient.connect(limited.url, {
          token: adminToken('limited'),
          mediator: M,
          colleague: 'admin',
        });
        clients.push(client);
        const errors: unknown[] = [];
        for (let i = 0; i < 4; i++)
          await client.api.mediators.list().catch((e: unknown) => errors.push(e));
        expect(errors[0]).toBeInstanceOf(RateLimitedError);
        expect((errors[0] as RateLimitedError).retryAfter).toBeGreaterThan(0);
      } finally {
        await limited.stop();
      }
    }, 60_000);
  });

  describe('tokens', () => {
    it('a token function is asked again for every reconnect, and deliveries go on after the first token expires', async () => {
      // Tokens minted in the first 2 s all expire then; later ones live an hour.
      const expiry = Math.floor(Date.now() / 1000) + 2;
      let issued = 0;
      const shipping = await connect('shipping', {
        token: () => {
          issued += 1;
          const left = expiry - Math.floor(Date.now() / 1000);
          return token(
            {
              sub: 'colleague:shop:shipping',
              scope: 'messages:send messages:read mediators:read',
              mediator: M,
              colleague: 'shipping',
            },
            left > 0 ? left : 3600,
          );
        },
      });
      const web = await connect('web');
      const got: Envelope[] = [];
      shipping.onMessage((m) => void got.push(m));
      const before = issued;
      await dropConnection(shipping);
      expect(issued).toBeGreaterThan(before);
      // Past the tokens' exp: the service ends a connection at its token's exp (token_expired),
      // and the client reconnects with a fresh token and keeps receiving.
      await reconnected(shipping);
      const sent = await web.send('shipping', 'after expiry');
      await until(() =>
        expect(got.filter((m) => m.id === sent.id).map((m) => m.payload)).toEqual(['after expiry']),
      );
    });
  });

  describe('browser bundle', () => {
    it('loads without Node globals and talks to the service over WebSocket and fetch', async () => {
      const bundle = await build({ ...browserBuild('iife'), write: false, sourcemap: false });
      const code = bundle.outputFiles[0].text;
      expect(code).not.toMatch(/require\(["']node:/);
      // A page's globals, nothing of Node's (no process, require, Buffer).
      const page: Record<string, unknown> = {
        WebSocket,
        fetch,
        Request,
        Response,
        Headers,
        AbortSignal,
        AbortController,
        URL,
        URLSearchParams,
        TextEncoder,
        TextDecoder,
        setTimeout,
        clearTimeout,
        setInterval,
        clearInterval,
        queueMicrotask,
        console,
        navigator: { userAgent: 'vm' },
        location: { href: service.url, protocol: 'http:' },
      };
      page.window = page;
      page.self = page;
      runInNewContext(code, page);
      const lib = page.mediatorClient as { MediatorClient: typeof MediatorClient };
      const browser = await lib.MediatorClient.connect(service.url, {
        token: colleagueToken(M, 'browser'),
        mediator: M,
        colleague: 'browser',
      });
      clients.push(browser);
      const web = await connect('web');
      const got: Envelope[] = [];
      browser.onMessage((m) => void got.push(m));
      const hello = await web.send('browser', { hello: 'page' });
      await until(() =>
        expect(got.filter((m) => m.id === hello.id).map((m) => m.payload)).toEqual([
          { hello: 'page' },
        ]),
      );
      const sent = await browser.send('web', 'from the page');
      expect(sent.sender_id).toBe('browser');
    });
  });
});
