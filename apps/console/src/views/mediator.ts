import type { ColleagueResponseDto, LifecycleEvent } from '@mediator/client';
import { every, type View } from '../context';
import { h, link, replace, table, time } from '../dom';
import { ColleagueGraph, KIND_COLOURS } from '../graph';
import { describeError } from '../session';
import { messageForms } from './forms';

const REFRESH_MS = 5000;
const FEED_LENGTH = 30;

type Data = Record<string, unknown>;

/** One mediator: the live graph of its colleagues, the list, the feed and the forms. */
export const mediatorView: View = async (ctx, [name = '']) => {
  const base = `#/m/${encodeURIComponent(name)}`;
  const graphBox = h('div', { class: 'graph', 'data-testid': 'graph' });
  const list = h('section', { 'data-testid': 'colleagues' }, 'loading…');
  const feed = h('ol', { class: 'feed', 'data-testid': 'feed' });
  const forms = h('div');
  const live = h('span', { class: 'badge', 'data-testid': 'live-state' });
  replace(
    ctx.main,
    h('h1', null, `Mediator ${name} `, live),
    h(
      'nav',
      { class: 'subnav' },
      link(`${base}/kinds`, 'kinds at work'),
      ctx.session.can('audit:read')
        ? link(`#/audit?mediator=${encodeURIComponent(name)}`, 'audit log')
        : null,
    ),
    h(
      'div',
      { class: 'split' },
      h('section', null, graphBox, legend()),
      h('section', null, h('h2', null, 'Live'), feed),
    ),
    list,
    forms,
  );
  const graph = new ColleagueGraph(graphBox);
  const stopLive = ctx.live.onState((state) => (live.textContent = state));
  let colleagues: ColleagueResponseDto[] = [];
  const refresh = async () => {
    try {
      colleagues = (
        await ctx.session.api.colleagues.list({ path: { name }, query: { limit: 500 } })
      ).items;
    } catch (error) {
      replace(list, h('p', { class: 'error' }, describeError(error)));
      return;
    }
    graph.setColleagues(colleagues);
    drawList(list, base, colleagues);
    if (!forms.firstChild && ctx.session.can('messages:send'))
      replace(forms, messageForms(ctx, name, colleagues));
  };
  await ctx.live.watch(name);
  const stopEvents = ctx.live.on((event) => {
    if (event.mediator !== name) return;
    showInFeed(feed, event);
    animate(graph, event);
    if (event.event.startsWith('colleague_')) void refresh();
  });
  const stopRefresh = every(REFRESH_MS, refresh, () => ctx.session.backoffMs());
  return () => {
    stopRefresh();
    stopEvents();
    stopLive();
    graph.destroy();
  };
};

function drawList(into: HTMLElement, base: string, colleagues: ColleagueResponseDto[]): void {
  replace(
    into,
    h('h2', null, 'Colleagues'),
    table(
      ['colleague', 'kind', 'state', 'handles', 'subscriptions', 'registered'],
      colleagues,
      (c) => [
        link(`${base}/c/${encodeURIComponent(c.id)}`, c.id),
        c.type,
        h(
          'span',
          { class: c.online ? 'online' : 'offline' },
          c.online ? 'online' : 'offline',
          c.active ? '' : ' (inactive)',
        ),
        c.handles.join(', '),
        c.subscriptions.join(', '),
        time(c.registered_at),
      ],
    ),
  );
}

/** What moves along an edge: a message from sender to recipient; other work pulses its node. */
function animate(graph: ColleagueGraph, event: LifecycleEvent<Data>): void {
  const d = event.data ?? {};
  const text = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : undefined);
  const kind = text('kind') ?? event.event.split('_')[0] ?? 'message';
  const sender = text('sender_id');
  if (event.event === 'message_sent' && sender)
    graph.flow(sender, text('recipient_id') ?? null, kind);
  else if (event.event === 'message_broadcasted' && sender) graph.flow(sender, null, kind);
  else if (event.event === 'event_published' && sender) graph.flow(sender, null, 'event');
  else if (event.event.startsWith('task_') && text('worker_id'))
    graph.flow(text('worker_id')!, null, 'task');
}

function showInFeed(feed: HTMLElement, event: LifecycleEvent<Data>): void {
  const d = event.data ?? {};
  const who = [d.sender_id, d.recipient_id ?? d.worker_id ?? d.id].filter(
    (v) => typeof v === 'string',
  );
  feed.prepend(
    h(
      'li',
      { 'data-event': event.event },
      h('time', null, new Date(event.timestamp).toLocaleTimeString()),
      ' ',
      h('strong', null, event.event),
      ' ',
      who.join(' → '),
      typeof d.type === 'string' ? ` (${d.type})` : '',
    ),
  );
  while (feed.childElementCount > FEED_LENGTH) feed.lastElementChild?.remove();
}

function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend' },
    Object.entries(KIND_COLOURS).map(([kind, colour]) =>
      h('li', null, h('span', { class: 'swatch', style: `background:${colour}` }), kind),
    ),
    h('li', null, h('span', { class: 'swatch faded' }), 'offline'),
  );
}
