import type { MediatorResponseDto } from '@mediator/client';
import { every, type View, type ViewContext } from '../context';
import { h, link, replace, table } from '../dom';
import { describeError } from '../session';
import { sparkline } from '../sparkline';

const REFRESH_MS = 5000;
/** The list costs a call per mediator and per colleague: refreshed less often. */
const LIST_REFRESH_MS = 10_000;
/** The inbox count asks for one page: more than this shows as "500+". */
const COUNT_LIMIT = 500;
/** Pending messages are counted one inbox at a time: not for mediators larger than this. */
const MAX_INBOXES_COUNTED = 50;

interface MediatorCounts {
  online: number;
  pending: number | undefined;
}

/** All mediators with their counts and rates, and the service's throughput and latency. */
export const overviewView: View = async (ctx) => {
  const metrics = h('section', { class: 'metrics', 'data-testid': 'metrics' });
  const list = h('section', { 'data-testid': 'mediators' }, 'loading…');
  replace(ctx.main, h('h1', null, 'Mediators'), metrics, list);
  const stopMetrics =
    ctx.session.can('audit:read') && !ctx.session.mediator
      ? every(
          REFRESH_MS,
          () => drawMetrics(ctx, metrics),
          () => ctx.session.backoffMs(),
        )
      : (metrics.remove(), () => undefined);
  const stopList = every(
    LIST_REFRESH_MS,
    () => drawMediators(ctx, list),
    () => ctx.session.backoffMs(),
  );
  return () => {
    stopMetrics();
    stopList();
  };
};

async function drawMediators(ctx: ViewContext, into: HTMLElement): Promise<void> {
  try {
    const mediators = await listMediators(ctx);
    const counts = await Promise.all(mediators.map((m) => countsOf(ctx, m.name)));
    const showPending = ctx.session.can('messages:read');
    replace(
      into,
      table(
        [
          'mediator',
          'colleagues',
          'online',
          ...(showPending ? ['pending messages'] : []),
          'messages/min',
          'description',
        ],
        mediators.map((m, i) => ({ m, c: counts[i]! })),
        ({ m, c }) => [
          link(`#/m/${encodeURIComponent(m.name)}`, m.name),
          `${m.colleague_count} / ${m.max_colleagues}`,
          String(c.online),
          ...(showPending ? [c.pending === undefined ? '—' : formatCount(c.pending)] : []),
          String(ctx.rates.perMinute(m.name)),
          m.description,
        ],
        { class: 'mediators' },
      ),
    );
  } catch (error) {
    replace(into, h('p', { class: 'error' }, describeError(error)));
  }
}

/** A mediator-bound token may not list mediators: it sees its own. */
async function listMediators(ctx: ViewContext): Promise<MediatorResponseDto[]> {
  const bound = ctx.session.mediator;
  if (bound) return [await ctx.session.api.mediators.get({ path: { name: bound } })];
  return (await ctx.session.api.mediators.list({ query: { limit: 100 } })).items;
}

async function countsOf(ctx: ViewContext, mediator: string): Promise<MediatorCounts> {
  const colleagues = (
    await ctx.session.api.colleagues.list({ path: { name: mediator }, query: { limit: 500 } })
  ).items;
  const online = colleagues.filter((c) => c.online).length;
  if (!ctx.session.can('messages:read') || colleagues.length > MAX_INBOXES_COUNTED)
    return { online, pending: undefined };
  const inboxes = await Promise.all(
    colleagues.map((c) =>
      ctx.session.api.messages.inbox({
        path: { name: mediator, id: c.id },
        query: { status: 'pending', limit: COUNT_LIMIT },
      }),
    ),
  );
  return { online, pending: inboxes.reduce((n, page) => n + page.items.length, 0) };
}

function formatCount(n: number): string {
  return n >= COUNT_LIMIT ? `${COUNT_LIMIT}+` : String(n);
}

async function drawMetrics(ctx: ViewContext, into: HTMLElement): Promise<void> {
  try {
    const summary = await ctx.session.api.metrics.summary();
    const points = summary.points;
    const perSecond = (n: number) => Math.round((n / summary.interval_ms) * 1000 * 10) / 10;
    replace(
      into,
      sparkline(
        'messages/s',
        points.map((p) => perSecond(p.messages)),
        '/s',
        'spark-messages',
      ),
      sparkline(
        'deliveries/s',
        points.map((p) => perSecond(p.deliveries)),
        '/s',
        'spark-deliveries',
      ),
      sparkline(
        'delivery latency',
        points.map((p) => p.delivery_latency_ms),
        'ms',
        'spark-delivery-latency',
      ),
      sparkline(
        'HTTP latency',
        points.map((p) => p.http_latency_ms),
        'ms',
        'spark-http-latency',
      ),
      h(
        'p',
        { class: 'muted' },
        `since start: ${summary.totals.messages} messages, ${summary.totals.deliveries} deliveries, ` +
          `${summary.totals.http_requests} HTTP requests (this instance, ${summary.interval_ms / 1000} s per point)`,
      ),
    );
  } catch (error) {
    replace(into, h('p', { class: 'error' }, `metrics: ${describeError(error)}`));
  }
}
