import type { AuditEntryDto } from '@mediator/client';
import { every, type View, type ViewContext } from '../context';
import { fieldsOf, h, json, replace, table, time } from '../dom';
import { describeError } from '../session';

const REFRESH_MS = 2000;
const FILTERS = ['mediator', 'actor', 'action', 'outcome'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/**
 * The audit log's tail, newest first, polled: the service filters by mediator, actor and action;
 * the outcome filter is applied here to the entries it returns. The filters live in the URL
 * (`#/audit?mediator=orders`), so a filtered view can be linked to.
 */
export const auditView: View = async (ctx, _params, query = new URLSearchParams()) => {
  const filters: Filters = {};
  for (const key of FILTERS) filters[key] = query.get(key) ?? undefined;
  if (ctx.session.mediator) filters.mediator = ctx.session.mediator;
  const tail = h('section', { 'data-testid': 'audit' }, 'loading…');
  const form = filterForm(ctx, filters);
  replace(ctx.main, h('h1', null, 'Audit log'), form, tail);
  const auditTail = new AuditTail(ctx, filters);
  return every(
    REFRESH_MS,
    () => drawTail(tail, auditTail),
    () => ctx.session.backoffMs(),
  );
};

function filterForm(ctx: ViewContext, filters: Filters): HTMLFormElement {
  const input = (name: keyof Filters, placeholder: string) =>
    h('input', {
      name,
      placeholder,
      value: filters[name] ?? '',
      readonly: name === 'mediator' && !!ctx.session.mediator,
    });
  const form = h(
    'form',
    { class: 'filters', 'data-testid': 'audit-filters' },
    input('mediator', 'mediator'),
    input('actor', 'actor'),
    input('action', 'action'),
    h(
      'select',
      { name: 'outcome' },
      ['', 'ok', 'denied', 'error'].map((o) =>
        h('option', { value: o, selected: o === (filters.outcome ?? '') }, o || 'any outcome'),
      ),
    ),
    h('button', { type: 'submit' }, 'Filter'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = Object.entries(fieldsOf(form)).filter(([, v]) => v);
    location.hash = `#/audit?${new URLSearchParams(chosen).toString()}`;
  });
  return form;
}

/** The tail starts this far back and keeps at most this many entries, newest first. */
const TAIL_START_MS = 15 * 60_000;
const TAIL_LENGTH = 200;
const PAGES_PER_POLL = 5;

/**
 * The service answers oldest first with a cursor; a tail asks for what came since the newest
 * entry it has (`since` is inclusive, so that one comes again and is dropped by its id).
 */
class AuditTail {
  private entries: AuditEntryDto[] = [];
  private since = new Date(Date.now() - TAIL_START_MS).toISOString();

  constructor(
    private readonly ctx: ViewContext,
    private readonly filters: Filters,
  ) {}

  async poll(): Promise<AuditEntryDto[]> {
    const seen = new Set(this.entries.map((e) => e.id));
    let cursor: string | undefined;
    for (let i = 0; i < PAGES_PER_POLL; i++) {
      const page = await this.ctx.session.api.audit.list({ query: this.query(cursor) });
      const fresh = page.items.filter((e) => !seen.has(e.id));
      this.entries = [...fresh.reverse(), ...this.entries].slice(0, TAIL_LENGTH);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    if (this.entries[0]) this.since = this.entries[0].at;
    return this.entries.filter((e) => !this.filters.outcome || e.outcome === this.filters.outcome);
  }

  private query(cursor: string | undefined) {
    const f = this.filters;
    return {
      limit: 100,
      since: this.since,
      ...(cursor ? { cursor } : {}),
      ...(f.mediator ? { mediator: f.mediator } : {}),
      ...(f.actor ? { actor: f.actor } : {}),
      ...(f.action ? { action: f.action } : {}),
    };
  }
}

async function drawTail(into: HTMLElement, tail: AuditTail): Promise<void> {
  try {
    const entries = await tail.poll();
    replace(
      into,
      table(
        ['at', 'actor', 'via', 'action', 'mediator', 'target', 'outcome', 'details'],
        entries,
        (e: AuditEntryDto) => [
          time(e.at),
          e.actor,
          e.transport,
          e.action,
          e.mediator ?? '—',
          e.target ?? '—',
          h('span', { class: `outcome-${e.outcome}` }, e.outcome),
          h('code', null, Object.keys(e.details).length ? json(e.details).slice(0, 200) : ''),
        ],
        { class: 'audit' },
      ),
    );
  } catch (error) {
    replace(into, h('p', { class: 'error' }, describeError(error)));
  }
}
