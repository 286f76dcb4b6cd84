// The web console (/console/) in Firefox: Debian's firefox-esr driven by puppeteer-core over
// WebDriver BiDi (playwright-core drives only its own patched Firefox builds). The same journey as
// the Chromium test, shorter: sign in, the mediators with their counts, a mediator's graph drawn
// on cytoscape's canvas, a colleague coming online over Socket.IO, a message sent from the form
// reaching the recipient's inbox and the audit log, and a colleague-bound token kept out of
// another mediator; no page errors on the way. Writes docs/console/firefox-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { Socket } from 'socket.io-client';
import { MediatorClient } from '@mediator/client';
import { browserExecutable, FIREFOX, SCREENSHOTS } from '../support/browsers';
import { api, type Api, eventually } from '../support/http';
import { type RunningService, startService } from '../support/service';
import { adminToken, colleagueToken } from '../support/tokens';
import { connected } from '../support/ws';

jest.setTimeout(90_000);

const DESKTOP = { width: 1280, height: 860 };
const SMALL_PHONE = { width: 375, height: 760 };
const M = 'shop';
/** The graph's fill colours (KIND_COLOURS in apps/console/src/graph.ts) of the kinds below. */
const COMMAND_RED = [0xe1, 0x57, 0x59];
const TASK_BROWN = [0x9c, 0x75, 0x5f];

let service: RunningService;
let admin: Api;
let browser: Browser;
let billing: MediatorClient;
let shipping: Socket | undefined;
/** Uncaught errors and console.error of every page, emptied (and checked) after each test. */
const problems: string[] = [];

beforeAll(async () => {
  const executablePath = browserExecutable(FIREFOX);
  service = await startService();
  admin = api(service.url, adminToken());
  await admin.post('/mediators', { name: M, description: 'a web shop' });
  await admin.post('/mediators', { name: 'back-office' });
  for (const c of [
    { id: 'web', name: 'Web shop', type: 'message' },
    { id: 'billing', name: 'Billing', type: 'command', handles: ['charge'] },
    { id: 'shipping', name: 'Shipping', type: 'task', subscriptions: ['order_paid'] },
  ])
    expect((await admin.post(`/mediators/${M}/colleagues`, c)).status).toBe(201);
  // billing is online from the start and acknowledges what it gets; shipping connects later.
  billing = await MediatorClient.connect(service.url, { token: colleagueToken(M, 'billing') });
  billing.onMessage(async () => undefined);
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    defaultViewport: DESKTOP,
  });
});

afterAll(async () => {
  await browser?.close();
  await billing?.close();
  shipping?.close();
  await service?.stop();
});

afterEach(() => {
  const seen = problems.splice(0);
  expect(seen).toEqual([]);
});

async function signIn(token: string): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error: unknown) =>
    problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`),
  );
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  await page.goto(`${service.url}/console/`);
  await page.locator('[data-testid=sign-in] textarea[name=token]').fill(token);
  await page.locator('[data-testid=sign-in] button[type=submit]').click();
  await page.waitForSelector('header [data-testid=who]');
  return page;
}

// The in-page code is passed as text: this program is type-checked without the DOM's types.
const js = JSON.stringify;

/** Another view of the signed-in page (the hash router redraws; the page is not reloaded). */
async function open(page: Page, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${js(hash)}`);
}

/** Waits until an element matching `selector` contains `text`. */
async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(
    `[...document.querySelectorAll(${js(selector)})].some((e) => e.textContent.includes(${js(text)}))`,
  );
}

/** The cells of the table row under `selector` whose first cell is `first`, once it is there. */
async function rowCells(page: Page, selector: string, first: string): Promise<string[]> {
  const row = await page.waitForFunction(`(() => {
    const rows = [...document.querySelectorAll(${js(`${selector} tbody tr`)})];
    const row = rows.find((r) => r.querySelector('td')?.textContent === ${js(first)});
    return row && [...row.querySelectorAll('td')].map((td) => td.textContent);
  })()`);
  return (await row.jsonValue()) as string[];
}

/**
 * How many pixels of cytoscape's canvases have this colour, fully opaque: an online colleague's
 * node is filled with its kind's colour; an offline one is faded (translucent).
 */
async function opaquePixels(page: Page, colour: number[]): Promise<number> {
  const count = await page.evaluate(`(() => {
    const [r, g, b] = ${js(colour)};
    const near = (value, want) => Math.abs(value - want) <= 2;
    let count = 0;
    for (const canvas of document.querySelectorAll('[data-testid=graph] canvas')) {
      if (!canvas.width || !canvas.height) continue;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4)
        if (data[i + 3] === 255 && near(data[i], r) && near(data[i + 1], g) && near(data[i + 2], b))
          count += 1;
    }
    return count;
  })()`);
  return count as number;
}

/** Wide tables scroll inside their section; the page itself fits the screen. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = (await page.evaluate(
    '({ page: document.documentElement.scrollWidth, screen: window.innerWidth })',
  )) as { page: number; screen: number };
  expect(widths.page).toBeLessThanOrEqual(widths.screen);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENSHOTS, `firefox-${name}.png`), fullPage: true });
}

describe('the console in Firefox', () => {
  let page: Page;

  beforeAll(async () => {
    page = await signIn(adminToken('ops-admin'));
  });

  it('lists the mediators with their counts', async () => {
    const [name, colleagues, online, pending, dead] = await rowCells(
      page,
      '[data-testid=mediators]',
      M,
    );
    expect(name).toBe(M);
    expect(colleagues).toMatch(/^3 \/ \d+$/);
    expect({ online, pending, dead }).toEqual({ online: '1', pending: '0', dead: '0' });
  });

  it("draws the mediator's colleagues on the graph's canvas, and one coming online", async () => {
    await open(page, `#/m/${M}`);
    await waitForText(page, '[data-testid=live-state]', 'live');
    expect(await rowCells(page, '[data-testid=colleagues]', 'shipping')).toContain('offline');
    // billing (a command handler) is online: its node is drawn in full colour (cytoscape draws
    // on the next animation frame); shipping's is faded.
    await eventually(async () =>
      expect(await opaquePixels(page, COMMAND_RED)).toBeGreaterThan(100),
    );
    await expect(opaquePixels(page, TASK_BROWN)).resolves.toBe(0);

    shipping = await connected(service.url, colleagueToken(M, 'shipping'));
    await page.waitForFunction(
      `[...document.querySelectorAll('[data-testid=colleagues] tbody tr')].some(
        (r) => r.textContent.startsWith('shipping') && r.querySelector('.online'))`,
    );
    await eventually(async () => expect(await opaquePixels(page, TASK_BROWN)).toBeGreaterThan(100));
  });

  it("sends a message from the form: it reaches the recipient's inbox and the audit log", async () => {
    await page.waitForSelector(
      '[data-testid=send-form] select[name=recipient_id] option[value=billing]',
    );
    await page.select('[data-testid=send-form] select[name=sender_id]', 'web');
    await page.select('[data-testid=send-form] select[name=recipient_id]', 'billing');
    await page.locator('[data-testid=send-form] input[name=type]').fill('order_note');
    await page.locator('[data-testid=send-form] textarea[name=message]').fill('{"order_id":"o-1"}');
    await page.locator('[data-testid=send-form] button[type=submit]').click();
    const sent = await page.waitForFunction(
      `document.querySelector('[data-testid=form-status]').textContent.match(/^sent (\\S+)$/)?.[1]`,
    );
    const id = (await sent.jsonValue()) as string;
    await page.waitForSelector('[data-testid=graph][data-last-flow="web->billing:message"]');
    await page.waitForSelector('[data-testid=feed] li[data-event=message_sent]');
    await shot(page, 'mediator');

    // billing acknowledged it.
    await open(page, `#/m/${M}/c/billing?status=acked`);
    const cells = await rowCells(page, '[data-testid=inbox]', `…${id.slice(-8)}`);
    expect(cells.slice(1, 4)).toEqual(['web', 'message', 'order_note']);

    await open(page, `#/audit?mediator=${M}&outcome=ok`);
    await waitForText(page, '[data-testid=audit] tbody tr', 'send_message');
    await page.setViewport(SMALL_PHONE);
    await expectNoSidewaysScroll(page);
    await shot(page, 'phone-audit');
    await page.setViewport(DESKTOP);
  });
});

describe('a colleague-bound token in Firefox', () => {
  it('sees its own inbox and nothing of another mediator', async () => {
    const page = await signIn(colleagueToken(M, 'web'));
    await page.waitForSelector('[data-testid=inbox] h2');
    expect(page.url()).toContain(`#/m/${M}/c/web`);

    await open(page, '#/m/back-office');
    await waitForText(
      page,
      '[data-testid=forbidden] [data-testid=service-answer]',
      'MEDIATOR_FORBIDDEN',
    );
    expect(await page.$$('[data-testid=colleagues]')).toHaveLength(0);
  });
});
