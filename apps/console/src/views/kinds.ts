import type { TaskResponseDto } from '@mediator/client';
import { every, type View, type ViewContext } from '../context';
import { fieldsOf, h, replace, table, time } from '../dom';
import { describeError } from '../session';

const TASK_STATUSES = ['pending', 'claimed', 'completed', 'dead'] as const;
const REFRESH_MS = 5000;

/**
 * The kinds at work in one mediator. Tasks and services have list endpoints; workflows, jobs
 * and resource pools are read one at a time by id or name (the API lists none of them yet).
 */
export const kindsView: View = async (ctx, [mediator = '']) => {
  const tasks = h('section', { 'data-testid': 'tasks' }, 'loading…');
  const services = h('section', { 'data-testid': 'services' }, 'loading…');
  const events = h('section', { 'data-testid': 'events' }, 'loading…');
  replace(
    ctx.main,
    h('h1', null, `Kinds at work in ${mediator}`),
    h('div', { class: 'grid' }, tasks, services),
    h('div', { class: 'grid' }, lookups(ctx, mediator)),
    events,
  );
  const stop = every(
    REFRESH_MS,
    () =>
      Promise.all([
        drawTasks(ctx, tasks, mediator),
        drawServices(ctx, services, mediator),
        drawEvents(ctx, events, mediator),
      ]).then(() => undefined),
    () => ctx.session.backoffMs(),
  );
  return stop;
};

async function drawTasks(ctx: ViewContext, into: HTMLElement, mediator: string): Promise<void> {
  await guarded(into, async () => {
    const byStatus = await Promise.all(
      TASK_STATUSES.map((status) =>
        ctx.session.api.tasks.list({ path: { name: mediator }, query: { status, limit: 100 } }),
      ),
    );
    const all = byStatus.flatMap((page) => page.items);
    return [
      h('h2', null, 'Task queue'),
      h(
        'p',
        { class: 'counts' },
        TASK_STATUSES.map((s, i) =>
          h(
            'span',
            { class: `st-${s}` },
            `${s} ${byStatus[i]!.items.length}${byStatus[i]!.next_cursor ? '+' : ''} `,
          ),
        ),
      ),
      table(
        ['task', 'type', 'status', 'attempts', 'worker', 'updated'],
        all,
        (t: TaskResponseDto) => [
          t.name,
          t.type,
          h('span', { class: `st-${t.status}` }, t.status),
          `${t.attempts}/${t.retry_count + 1}`,
          t.worker_id ?? '—',
          time(t.updated_at),
        ],
      ),
    ];
  });
}

async function drawServices(ctx: ViewContext, into: HTMLElement, mediator: string): Promise<void> {
  await guarded(into, async () => {
    const page = await ctx.session.api.services.list({
      path: { name: mediator },
      query: { limit: 100 },
    });
    return [
      h('h2', null, 'Services'),
      table(['service', 'type', 'health', 'endpoint', 'last heartbeat'], page.items, (s) => [
        s.name,
        s.type,
        h('span', { class: `st-${s.status}` }, s.status),
        s.endpoint ?? '—',
        time(s.last_heartbeat_at),
      ]),
    ];
  });
}

async function drawEvents(ctx: ViewContext, into: HTMLElement, mediator: string): Promise<void> {
  await guarded(into, async () => {
    const page = await ctx.session.api.events.history({
      path: { name: mediator },
      query: { limit: 20 },
    });
    return [
      h('h2', null, 'Recent events'),
      table(['type', 'from', 'at'], page.items, (e) => [e.type, e.sender_id, time(e.published_at)]),
    ];
  });
}

type Drawn = (HTMLElement | null)[];

/** Workflows, jobs and resource pools: one by its id or name. */
const READERS: Record<string, (ctx: ViewContext, mediator: string, key: string) => Promise<Drawn>> =
  { workflow: showWorkflow, job: showJob, resource: showPool };

function lookups(ctx: ViewContext, mediator: string): HTMLElement {
  const out = h('div', { class: 'lookup-result', 'data-testid': 'lookup-result' });
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'lookup' },
    h('h2', null, 'Workflows, jobs, resource pools'),
    h(
      'select',
      { name: 'kind' },
      Object.keys(READERS).map((k) => h('option', { value: k }, k)),
    ),
    h('input', { name: 'key', required: true, placeholder: 'workflow id, job or pool name' }),
    h('button', { type: 'submit' }, 'Show'),
    out,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const { kind = 'workflow', key = '' } = fieldsOf(form);
    (READERS[kind] ?? showWorkflow)(ctx, mediator, key).then(
      (nodes) => replace(out, ...nodes),
      (error: unknown) => replace(out, h('p', { class: 'error' }, describeError(error))),
    );
  });
  return form;
}

async function showWorkflow(ctx: ViewContext, mediator: string, id: string): Promise<Drawn> {
  const w = await ctx.session.api.workflows.get({ path: { name: mediator, id } });
  const stepClass = (i: number) =>
    i < w.current_step ? 'done' : i === w.current_step ? 'current' : '';
  return [
    h('h3', null, `Workflow ${w.name}: ${w.status}`),
    h(
      'ol',
      { class: 'steps' },
      w.steps.map((s, i) =>
        h(
          'li',
          { class: stepClass(i) },
          `${s.name} (${s.type})`,
          w.compensated.includes(s.name) ? ' — compensated' : '',
        ),
      ),
    ),
    w.error ? h('p', { class: 'error' }, w.error) : null,
  ];
}

async function showJob(ctx: ViewContext, mediator: string, job: string): Promise<Drawn> {
  const path = { name: mediator, job };
  const [j, runs] = await Promise.all([
    ctx.session.api.jobs.get({ path }),
    ctx.session.api.jobs.runs({ path, query: { limit: 10 } }),
  ]);
  return [
    h('h3', null, `Job ${j.name} (${j.schedule})${j.paused ? ' — paused' : ''}`),
    h('p', null, `next fire: ${time(j.next_run_at)}; target ${j.target} ${j.type}`),
    table(['scheduled', 'fired', 'catch-up'], runs.items, (r) => [
      time(r.scheduled_at),
      time(r.fired_at),
      r.catch_up ? 'yes' : '',
    ]),
  ];
}

async function showPool(ctx: ViewContext, mediator: string, resource: string): Promise<Drawn> {
  const r = await ctx.session.api.resources.get({ path: { name: mediator, resource } });
  return [
    h('h3', null, `Pool ${r.name} (${r.type}): ${r.used} of ${r.capacity} leased`),
    table(['lease', 'holder', 'amount', 'expires'], r.leases, (l) => [
      l.id.slice(0, 8),
      l.holder_id,
      String(l.amount),
      time(l.expires_at),
    ]),
  ];
}

async function guarded(into: HTMLElement, draw: () => Promise<(Node | string)[]>): Promise<void> {
  try {
    replace(into, ...(await draw()));
  } catch (error) {
    replace(into, h('p', { class: 'error' }, describeError(error)));
  }
}
