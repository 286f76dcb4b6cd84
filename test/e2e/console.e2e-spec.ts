// The web console (/console/) in a real browser: Debian's chromium driven by playwright-core.
// Signs in, watches a message sent from the form move along its edge in the live graph, reach
// the recipient's inbox and the audit log, redelivers a dead letter from its inbox, checks that a
// colleague-bound token sees only its colleague, and writes screenshots of the main views to
// docs/console/ (shown in the README).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { MediatorClient } from '@mediator/client';
import { browserExecutable, CHROMIUM, SCREENSHOTS } from '../support/browsers';
import { api, type Api, eventually, expectError } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken, token } from '../support/tokens';
import { connected } from '../support/ws';

jest.setTimeout(90_000);

const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 800 };
/** The narrowest phone the console is checked at: nothing may make the page scroll sideways. */
const SMALL_PHONE = { width: 375, height: 760 };
const M = 'shop';

let service: RunningService;
let admin: Api;
let browser: BrowserContext;
let profile: string;
let billing: MediatorClient;
let printer: Socket | undefined;

beforeAll(async () => {
  const executablePath = browserExecutable(CHROMIUM);
  // Quick retries: a refused message is dead (retry_count 1: two attempts) within a second.
  service = await startService({
    config: {
      retry_count: 1,
      messaging: { backoff: '100ms', max_backoff: '200ms', sweep_interval: '100ms' },
    },
  });
  admin = api(service.url, adminToken());
  await admin.post('/mediators', { name: M, description: 'a web shop' });
  await admin.post('/mediators', { name: 'back-office' });
  for (const c of [
    { id: 'web', name: 'Web shop', type: 'message' },
    { id: 'billing', name: 'Billing', type: 'command', handles: ['charge'] },
    { id: 'shipping', name: 'Shipping', type: 'task', subscriptions: ['order_paid'] },
    { id: 'printer', name: 'Label printer', type: 'message', subscriptions: ['none'] },
  ])
    expect((await admin.post(`/mediators/${M}/colleagues`, c)).status).toBe(201);
  await admin.post(`/mediators/${M}/tasks`, { name: 'ship o-1', type: 'ship_order' });
  await admin.put(`/mediators/${M}/services/payments`, {
    type: 'http',
    status: 'healthy',
    endpoint: 'http://payments:8080',
  });
  await admin.put(`/mediators/${M}/jobs/nightly`, { type: 'ship_order', schedule: '0 3 * * *' });
  await admin.put(`/mediators/${M}/resources/printers`, { type: 'printer', capacity: 3 });
  await admin.post(`/mediators/${M}/resources/printers/leases`, {
    holder_id: 'shipping',
    amount: 1,
    ttl: 600,
  });
  // billing is a handler: online, and it acknowledges what it gets.
  billing = await MediatorClient.connect(service.url, { token: colleagueToken(M, 'billing') });
  billing.onMessage(async () => undefined);
  billing.handle('charge', async () => ({ charged: true }));
  // A workflow whose one step billing runs: it completes, and its steps show in the kinds view.
  await admin.post(`/mediators/${M}/workflows`, {
    name: 'checkout',
    steps: [{ name: 'charge card', type: 'charge' }],
    data: { order: 'o-1' },
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: DESKTOP,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await billing?.close();
  printer?.close();
  await service?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function signIn(token: string): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${service.url}/console/`);
  await page.fill('[data-testid=sign-in] textarea[name=token]', token);
  await page.click('[data-testid=sign-in] button[type=submit]');
  await page.waitForSelector('header [data-testid=who]');
  expect(problems).toEqual([]);
  return page;
}

/** Wide tables scroll inside their section; the page itself fits the screen. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate<{ page: number; screen: number }>(
    '({ page: document.documentElement.scrollWidth, screen: window.innerWidth })',
  );
  expect(widths.page).toBeLessThanOrEqual(widths.screen);
}

/** A full-page screenshot from the top (a submitted form may have scrolled the page). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('the console', () => {
  let page: Page;

  beforeAll(async () => {
    page = await signIn(adminToken('ops-admin'));
  });

  it('lists the mediators with their counts, and the service metrics', async () => {
    const row = page.locator('[data-testid=mediators] tr', { hasText: M });
    await row.waitFor();
    await expect(row.locator('td').nth(1).textContent()).resolves.toMatch(/^4 \/ \d+$/);
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('1');
    await page.waitForSelector('[data-testid=spark-messages]');
  });

  it('animates a message sent from the form along its edge, then shows it acked in the inbox', async () => {
    await page.goto(`${service.url}/console/#/m/${M}`);
    await page.waitForSelector(
      '[data-testid=send-form] select[name=recipient_id] option[value=billing]',
      { state: 'attached' },
    );
    await page.waitForSelector('[data-testid=live-state]:text("live")');
    const animating = page.waitForSelector('[data-testid=graph].animating');
    await page.selectOption('[data-testid=send-form] select[name=sender_id]', 'web');
    await page.selectOption('[data-testid=send-form] select[name=recipient_id]', 'billing');
    await page.fill('[data-testid=send-form] input[name=type]', 'order_note');
    await page.fill('[data-testid=send-form] textarea[name=message]', '{"order_id":"o-1"}');
    await page.click('[data-testid=send-form] button[type=submit]');
    await animating;
    const graph = page.locator('[data-testid=graph]');
    await expect(graph.getAttribute('data-last-flow')).resolves.toBe('web->billing:message');
    await expect(graph.getAttribute('data-flows')).resolves.toBe('1');
    await page.waitForSelector('[data-testid=feed] li[data-event=message_sent]');
    await shot(page, 'mediator');

    await page.goto(`${service.url}/console/#/m/${M}/c/billing`);
    await page.click('[role=tab][data-status=acked]');
    await page.waitForSelector('[role=tab][data-status=acked][aria-selected=true]');
    const row = page.locator('[data-testid=inbox] tbody tr', { hasText: 'web' });
    await row.waitFor();
    await row.locator('a').click();
    const recipient = page.locator('[data-testid=message-detail] tr', { hasText: 'billing' });
    await expect(recipient.locator('td').nth(1).textContent()).resolves.toBe('acked');
    // The list the message was opened from stays: the tab is part of the URL.
    await row.waitFor();
    await shot(page, 'colleague');
  });

  it('animates a command along its edge and an event on its publisher', async () => {
    await page.goto(`${service.url}/console/#/m/${M}`);
    await page.waitForSelector('[data-testid=live-state]:text("live")');
    const graph = page.locator('[data-testid=graph]');
    const reply = await admin.post(`/mediators/${M}/commands`, {
      sender_id: 'web',
      type: 'charge',
      data: { order_id: 'o-1' },
    });
    expect(reply.status).toBe(200);
    await page.waitForSelector('[data-testid=graph][data-last-flow="web->billing:command"]');

    await page.selectOption('[data-testid=publish-form] select[name=sender_id]', 'billing');
    await page.fill('[data-testid=publish-form] input[name=type]', 'order_paid');
    await page.fill('[data-testid=publish-form] textarea[name=data]', '{"order_id":"o-1"}');
    await page.click('[data-testid=publish-form] button[type=submit]');
    await page.waitForSelector('[data-testid=graph][data-last-flow="billing->*:event"]');
    await expect(graph.getAttribute('data-flows')).resolves.toBe('2');
  });

  it('shows the send in the audit log, filtered by mediator and outcome', async () => {
    await page.goto(`${service.url}/console/#/audit?mediator=${M}&outcome=ok`);
    const line = page.locator('[data-testid=audit] tr', { hasText: 'send_message' });
    await line.waitFor();
    await expect(line.textContent()).resolves.toContain('ops-admin');
    await shot(page, 'audit');
  });

  it('lists the kinds at work without typing an id: tasks, services, workflows, jobs, pools', async () => {
    // A job that fires every second, paused once it has run: its last runs show.
    await admin.put(`/mediators/${M}/jobs/restock`, { type: 'restock', schedule: '* * * * * *' });
    await eventually(async () => {
      const runs = await admin.get(`/mediators/${M}/jobs/restock/runs?limit=1`);
      expect(runs.body.items).toHaveLength(1);
    });
    await admin.post(`/mediators/${M}/jobs/restock/pause`);
    // Read after the pause: a tick may have fired between the first run and the pause.
    const [run] = (await admin.get(`/mediators/${M}/jobs/restock/runs?limit=1`)).body.items;
    await page.goto(`${service.url}/console/#/m/${M}/kinds`);
    await page.locator('[data-testid=tasks] tr', { hasText: 'ship o-1' }).waitFor();
    await page.locator('[data-testid=services] tr', { hasText: 'payments' }).waitFor();
    const workflow = page.locator('[data-testid=workflows] tr', { hasText: 'checkout' });
    await workflow.locator('.st-completed').waitFor();
    await expect(workflow.locator('.steps li').allTextContents()).resolves.toEqual([
      'charge card (charge)',
    ]);
    const job = page.locator('[data-testid=jobs] tr', { hasText: 'nightly' });
    await job.waitFor();
    const { next_run_at } = (await admin.get(`/mediators/${M}/jobs/nightly`)).body;
    await expect(job.locator('time').getAttribute('datetime')).resolves.toBe(next_run_at);
    const paused = page.locator('[data-testid=jobs] tr', { hasText: 'restock' });
    await paused.locator('.runs li').first().waitFor();
    await expect(paused.locator('.runs time').first().getAttribute('datetime')).resolves.toBe(
      run.fired_at,
    );
    await expect(paused.textContent()).resolves.toContain('paused');
    const pool = page.locator('[data-testid=pools] tr', { hasText: 'printers' });
    await pool.locator('.leases li', { hasText: 'shipping ×1' }).waitFor();
    await expect(pool.textContent()).resolves.toContain('1 of 3');
    await shot(page, 'kinds');
  });

  it('counts dead letters, lists them in the inbox, and redelivers one', async () => {
    // printer refuses every delivery (the Socket.IO nack) until its paper is refilled.
    let jammed = true;
    printer = await connected(service.url, colleagueToken(M, 'printer'));
    printer.on('message', (_delivery: unknown, ack?: (reply: unknown) => void) =>
      ack?.(
        jammed
          ? { ok: false, error: { code: 'PRINTER_JAMMED', message: 'out of paper' } }
          : { ok: true },
      ),
    );
    const labels = [];
    for (const order of ['o-1', 'o-2']) {
      const sent = await admin.post(`/mediators/${M}/messages`, {
        sender_id: 'web',
        recipient_id: 'printer',
        type: 'print_label',
        message: { order_id: order },
      });
      expect(sent.status).toBe(202);
      labels.push(sent.body.id as string);
    }
    for (const id of labels)
      await eventually(async () =>
        expect((await admin.get(`/mediators/${M}/messages/${id}`)).body.status).toBe('dead'),
      );

    await page.goto(`${service.url}/console/#/`);
    const mediator = page.locator('[data-testid=mediators] tr', { hasText: M });
    await mediator.locator('[data-testid=dead-count].st-dead').waitFor();
    await expect(mediator.locator('[data-testid=dead-count]').textContent()).resolves.toBe('2');

    await page.goto(`${service.url}/console/#/m/${M}/c/printer`);
    await page.click('[role=tab][data-status=dead]');
    await page.waitForSelector('[data-testid=inbox][data-count="2"]');
    await page.locator('[data-testid=inbox] tbody tr').first().locator('a').click();
    const copy = page.locator('[data-testid=message-detail] tbody tr', { hasText: 'printer' });
    await copy.locator('.st-dead').waitFor();
    await expect(page.locator('[data-testid=message-detail] h2').textContent()).resolves.toBe(
      `Message ${labels[0]}`,
    );
    await shot(page, 'dead-letter');
    await page.setViewportSize(SMALL_PHONE);
    await expectNoSidewaysScroll(page);
    await shot(page, 'phone-dead-letter');
    await page.setViewportSize(DESKTOP);

    jammed = false;
    await copy.locator('button[data-testid=redeliver]').click();
    // Pushed again at once (printer is online), acknowledged this time.
    await copy.locator('.st-acked').waitFor();
    await expect(copy.locator('button').count()).resolves.toBe(0);
    await page.waitForSelector('[data-testid=inbox][data-count="1"]');
    expect((await admin.get(`/mediators/${M}/messages/${labels[0]}`)).body.status).toBe('acked');

    await page.goto(`${service.url}/console/#/`);
    await mediator.locator('[data-testid=dead-count]:text-is("1")').waitFor();
    await page.setViewportSize(SMALL_PHONE);
    await expectNoSidewaysScroll(page);
    await page.setViewportSize(DESKTOP);
  });

  it('draws throughput and latency sparklines from the metrics summary', async () => {
    const web = api(service.url, colleagueToken(M, 'web'));
    for (let i = 0; i < 5; i++)
      await web.post(`/mediators/${M}/messages`, {
        sender_id: 'web',
        recipient_id: 'billing',
        message: { n: i },
      });
    await page.goto(`${service.url}/console/#/`);
    // The service samples every 5 s; two points make a line.
    await page.waitForSelector(
      '[data-testid=spark-messages]:not([data-points="0"]):not([data-points="1"])',
      { timeout: 30_000 },
    );
    await shot(page, 'mediators');
  });
});

describe('a colleague-bound token in the console', () => {
  it('sees its own inbox and nothing of another mediator', async () => {
    const page = await signIn(colleagueToken(M, 'web'));
    await page.setViewportSize(PHONE);
    await page.waitForSelector('[data-testid=inbox] h2');
    expect(page.url()).toContain(`#/m/${M}/c/web`);
    await shot(page, 'phone-colleague');

    await page.goto(`${service.url}/console/#/m/back-office`);
    const answer = page.locator('[data-testid=forbidden] [data-testid=service-answer]');
    await page.waitForSelector('[data-testid=service-answer]:text("MEDIATOR_FORBIDDEN")');
    await expect(answer.textContent()).resolves.toContain('MEDIATOR_FORBIDDEN');
    await expect(page.locator('[data-testid=colleagues]').count()).resolves.toBe(0);
  });
});

describe('GET /api/v1/metrics/summary (the sparklines)', () => {
  it('answers a token with audit:read with the sampled history', async () => {
    const reply = await api(service.url, token({ sub: 'ops', scope: 'audit:read' })).get(
      '/metrics/summary',
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      interval_ms: 5000,
      totals: {
        messages: expect.any(Number),
        deliveries: expect.any(Number),
        http_requests: expect.any(Number),
      },
      points: expect.any(Array),
    });
  });

  it('refuses a token without audit:read, and a mediator-bound one (the figures span all)', async () => {
    const reader = token({ sub: 'r', scope: 'mediators:read messages:read' });
    expectError(await api(service.url, reader).get('/metrics/summary'), 403, 'INSUFFICIENT_SCOPE');
    const bound = token({ sub: 'b', scope: 'audit:read', mediator: M });
    expectError(await api(service.url, bound).get('/metrics/summary'), 403, 'MEDIATOR_FORBIDDEN');
    expectError(await api(service.url).get('/metrics/summary'), 401);
  });
});

describe('GET /api/v1/mediators/{name}/message-counts (pending and dead letters)', () => {
  const path = `/mediators/${M}/message-counts`;

  it('counts every copy by status: the two dead letters, one redelivered and acked', async () => {
    await admin.post('/mediators', { name: 'quiet' });
    await admin.post('/mediators/quiet/colleagues', { id: 'a', name: 'A', type: 'message' });
    await admin.post('/mediators/quiet/colleagues', { id: 'b', name: 'B', type: 'message' });
    for (const n of [1, 2])
      await admin.post('/mediators/quiet/broadcast', { sender_id: 'a', message: { n } });
    const quiet = await admin.get('/mediators/quiet/message-counts');
    expect({ status: quiet.status, body: quiet.body }).toEqual({
      status: 200,
      body: { pending: 2, delivered: 0, acked: 0, dead: 0 },
    });
    const bound = api(service.url, token({ sub: 'm', scope: 'messages:read', mediator: M }));
    const shop = await bound.get(path);
    expect(shop.status).toBe(200);
    expect(shop.body.dead).toBe(1);
  });

  it('needs messages:read, the mediator, and no colleague binding', async () => {
    const reader = token({ sub: 'r', scope: 'mediators:read' });
    expectError(await api(service.url, reader).get(path), 403, 'INSUFFICIENT_SCOPE');
    const other = token({ sub: 'o', scope: 'messages:read', mediator: 'back-office' });
    expectError(await api(service.url, other).get(path), 403, 'MEDIATOR_FORBIDDEN');
    expectError(
      await api(service.url, colleagueToken(M, 'web')).get(path),
      403,
      'COLLEAGUE_FORBIDDEN',
    );
    expectError(await admin.get('/mediators/nowhere/message-counts'), 404, 'MEDIATOR_NOT_FOUND');
    expectError(await api(service.url).get(path), 401);
  });
});

describe('the console page', () => {
  it('is served without a token at /console/ (and /console redirects there)', async () => {
    const page = await fetch(`${service.url}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('console.js');
    const bare = await fetch(`${service.url}/console`, { redirect: 'manual' });
    expect({ status: bare.status, location: bare.headers.get('location') }).toEqual({
      status: 302,
      location: '/console/',
    });
  });
});
