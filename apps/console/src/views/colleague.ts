import type { EnvelopeDto, MessageStatusDto, RecipientStatusDto } from '@mediator/client';
import { every, type View, type ViewContext } from '../context';
import { h, json, link, replace, table, time } from '../dom';
import { describeError } from '../session';

const STATUSES = ['pending', 'delivered', 'acked', 'dead'] as const;
type Status = (typeof STATUSES)[number];
const REFRESH_MS = 2000;

interface Where {
  mediator: string;
  id: string;
  status: Status;
  base: string;
  /** The message open in the detail, marked in the list. */
  open: string | undefined;
}

/**
 * One colleague's inbox by status (`dead`: the dead letters), and a message's detail with its
 * per-recipient status, where a dead copy can be redelivered.
 */
export const colleagueView: View = async (ctx, [mediator = '', id = '', messageId], query) => {
  const base = `#/m/${encodeURIComponent(mediator)}/c/${encodeURIComponent(id)}`;
  // The tab is part of the URL (`?status=acked`): opening a message keeps the list it came from.
  const status: Status = STATUSES.find((s) => s === query.get('status')) ?? 'pending';
  const where: Where = { mediator, id, status, base, open: messageId };
  const tabs = h('nav', { class: 'tabs', role: 'tablist' });
  const inbox = h('section', { 'data-testid': 'inbox' }, 'loading…');
  const detail = h('section', { 'data-testid': 'message-detail' });
  const mayOpenMediator = !ctx.session.colleague;
  replace(
    ctx.main,
    h(
      'h1',
      null,
      mayOpenMediator ? link(`#/m/${encodeURIComponent(mediator)}`, mediator) : mediator,
      ` / ${id}`,
    ),
    tabs,
    h('div', { class: 'split' }, inbox, detail),
  );
  replace(
    tabs,
    ...STATUSES.map((s) =>
      link(`${base}${messageId ? `/msg/${encodeURIComponent(messageId)}` : ''}?status=${s}`, s, {
        role: 'tab',
        'aria-selected': String(s === status),
        'data-status': s,
      }),
    ),
  );
  const refresh = async () => {
    await Promise.all([
      drawInbox(ctx, inbox, where),
      messageId ? drawDetail(ctx, detail, mediator, messageId, refresh) : undefined,
    ]);
  };
  const stop = every(REFRESH_MS, refresh, () => ctx.session.backoffMs());
  // A message to this colleague (or its retry, death, ack) shows at once, without waiting.
  const stopEvents = ctx.live.on((event) => {
    if (event.mediator === mediator && event.data?.recipient_id === id) void refresh();
  });
  return () => {
    stop();
    stopEvents();
  };
};

async function drawInbox(ctx: ViewContext, into: HTMLElement, q: Where): Promise<void> {
  try {
    const page = await ctx.session.api.messages.inbox({
      path: { name: q.mediator, id: q.id },
      query: { status: q.status, limit: 100 },
    });
    into.dataset.count = String(page.items.length);
    replace(
      into,
      h('h2', null, `Inbox: ${q.status} (${page.items.length}${page.next_cursor ? '+' : ''})`),
      table(
        ['message', 'from', 'kind', 'type', 'at'],
        page.items,
        (m: EnvelopeDto) => [
          // The end of the id: a UUIDv7 starts with its time, the same for messages sent together.
          link(
            `${q.base}/msg/${encodeURIComponent(m.id)}?status=${q.status}`,
            `…${m.id.slice(-8)}`,
            {
              title: m.id,
              'aria-current': m.id === q.open ? 'true' : undefined,
            },
          ),
          m.sender_id,
          m.kind,
          m.type,
          time(m.created_at),
        ],
        { class: 'inbox' },
      ),
    );
  } catch (error) {
    replace(into, h('p', { class: 'error' }, describeError(error)));
  }
}

async function drawDetail(
  ctx: ViewContext,
  into: HTMLElement,
  mediator: string,
  messageId: string,
  refresh: () => Promise<void>,
): Promise<void> {
  try {
    const m = await ctx.session.api.messages.get({
      path: { name: mediator, message_id: messageId },
    });
    showMessage(ctx, into, m, refresh);
  } catch (error) {
    replace(into, h('p', { class: 'error' }, describeError(error)));
  }
}

function showMessage(
  ctx: ViewContext,
  into: HTMLElement,
  m: MessageStatusDto,
  refresh: () => Promise<void>,
): void {
  // A refused redelivery stays on screen across the polls' redraws, until one succeeds.
  const problem = h(
    'p',
    { class: 'error', 'data-testid': 'redeliver-error' },
    into.dataset.problem,
  );
  const redeliver = async (r: RecipientStatusDto) => {
    try {
      const after = await ctx.session.api.messages.redeliver({
        path: { name: m.mediator, message_id: m.id },
        body: { recipient_id: r.recipient_id },
      });
      delete into.dataset.problem;
      showMessage(ctx, into, after, refresh);
      await refresh();
    } catch (error) {
      into.dataset.problem = problem.textContent = describeError(error);
    }
  };
  replace(
    into,
    h('h2', null, `Message ${m.id}`),
    h(
      'dl',
      null,
      ...[
        ['kind', m.kind],
        ['type', m.type],
        ['from', m.sender_id],
        ['to', m.recipient_id ?? 'broadcast'],
        ['correlation', m.correlation_id ?? '—'],
        ['at', time(m.created_at)],
      ].flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
    ),
    h('pre', null, json(m.payload)),
    table(['recipient', 'status', 'delivered', 'acked'], m.recipients, (r) => [
      r.recipient_id,
      // The button sits with the status it changes: no extra column for a phone to scroll to.
      h(
        'span',
        { class: 'status-cell' },
        h('span', { class: `st-${r.status}` }, r.status),
        r.status === 'dead' && mayRedeliver(ctx, r)
          ? h(
              'button',
              { type: 'button', 'data-testid': 'redeliver', onclick: () => void redeliver(r) },
              'Redeliver',
            )
          : null,
      ),
      time(r.delivered_at),
      time(r.acked_at),
    ]),
    problem,
  );
}

/** Redelivering needs `messages:send`; a colleague-bound token redelivers only its own copy. */
function mayRedeliver(ctx: ViewContext, r: RecipientStatusDto): boolean {
  const own = ctx.session.colleague;
  return ctx.session.can('messages:send') && (own === undefined || own === r.recipient_id);
}
