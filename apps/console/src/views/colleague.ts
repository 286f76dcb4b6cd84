import type { EnvelopeDto } from '@mediator/client';
import { every, type View, type ViewContext } from '../context';
import { h, json, link, replace, table, time } from '../dom';
import { describeError } from '../session';

const STATUSES = ['pending', 'delivered', 'acked'] as const;
type Status = (typeof STATUSES)[number];
const REFRESH_MS = 2000;

/**
 * One colleague's inbox by status and a message's detail with its per-recipient status. The
 * service has no redelivery endpoint and no dead-letter status for messages yet, so neither is
 * offered here: a pending message goes out again when its recipient reconnects.
 */
export const colleagueView: View = async (ctx, [mediator = '', id = '', messageId], query) => {
  const base = `#/m/${encodeURIComponent(mediator)}/c/${encodeURIComponent(id)}`;
  // The tab is part of the URL (`?status=acked`): opening a message keeps the list it came from.
  const status: Status = STATUSES.find((s) => s === query.get('status')) ?? 'pending';
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
  const refresh = () => drawInbox(ctx, inbox, { mediator, id, status, base });
  if (messageId) void drawDetail(ctx, detail, mediator, messageId);
  const stop = every(REFRESH_MS, refresh, () => ctx.session.backoffMs());
  // A message to this colleague shows at once, without waiting for the next poll.
  const stopEvents = ctx.live.on((event) => {
    if (event.mediator === mediator && event.data?.recipient_id === id) void refresh();
  });
  return () => {
    stop();
    stopEvents();
  };
};

interface InboxQuery {
  mediator: string;
  id: string;
  status: Status;
  base: string;
}

async function drawInbox(ctx: ViewContext, into: HTMLElement, q: InboxQuery): Promise<void> {
  try {
    const page = await ctx.session.api.messages.inbox({
      path: { name: q.mediator, id: q.id },
      query: { status: q.status, limit: 100 },
    });
    into.dataset.count = String(page.items.length);
    replace(
      into,
      h('h2', null, `Inbox: ${q.status} (${page.items.length}${page.next_cursor ? '+' : ''})`),
      table(['message', 'from', 'kind', 'type', 'at'], page.items, (m: EnvelopeDto) => [
        link(`${q.base}/msg/${encodeURIComponent(m.id)}?status=${q.status}`, m.id.slice(0, 8), {
          title: m.id,
        }),
        m.sender_id,
        m.kind,
        m.type,
        time(m.created_at),
      ]),
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
): Promise<void> {
  try {
    const m = await ctx.session.api.messages.get({
      path: { name: mediator, message_id: messageId },
    });
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
        h('span', { class: `st-${r.status}` }, r.status),
        time(r.delivered_at),
        time(r.acked_at),
      ]),
    );
  } catch (error) {
    replace(into, h('p', { class: 'error' }, describeError(error)));
  }
}
