import type {
  JobRunResponseDto,
  LeaseResponseDto,
  TaskResponseDto,
  WorkflowDto,
} from '@mediator/client';
import { every, type View, type ViewContext } from '../context';
import { h, replace, table, time } from '../dom';
import { describeError } from '../session';

const TASK_STATUSES = ['pending', 'claimed', 'completed', 'dead'] as const;
const REFRESH_MS = 5000;

/**
 * The kinds at work in one mediator, each from its list endpoint: the task queue by status,
 * services with health, recent workflows with their steps, jobs with their next fire time and
 * last runs, resource pools with their leases, and the latest events.
 */
export const kindsView: View = async (ctx, [mediator = '']) => {
  const tasks = h('section', { 'data-testid': 'tasks' }, 'loading…');
  const services = h('section', { 'data-testid': 'services' }, 'loading…');
  const workflows = h('section', { 'data-testid': 'workflows' }, 'loading…');
  const jobs = h('section', { 'data-testid': 'jobs' }, 'loading…');
  const pools = h('section', { 'data-testid': 'pools' }, 'loading…');
  const events = h('section', { 'data-testid': 'events' }, 'loading…');
  replace(
    ctx.main,
    h('h1', null, `Kinds at work in ${mediator}`),
    h('div', { class: 'grid' }, tasks, services),
    workflows,
    h('div', { class: 'grid' }, jobs, pools),
    events,
  );
  const stop = every(
    REFRESH_MS,
    () =>
      Promise.all([
        drawTasks(ctx, tasks, mediator),
        drawServices(ctx, services, mediator),
        drawWorkflows(ctx, workflows, mediator),
        drawJobs(ctx, jobs, mediator),
        drawPools(ctx, pools, mediator),
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

/** How many of each kind one screen lists; the heading says when there are more. */
const SHOWN = 20;
const RUNS_PER_JOB = 3;

const more = (cursor: string | null | undefined) => (cursor ? ` (first ${SHOWN})` : '');

async function drawWorkflows(ctx: ViewContext, into: HTMLElement, mediator: string): Promise<void> {
  await guarded(into, async () => {
    const page = await ctx.session.api.workflows.list({
      path: { name: mediator },
      query: { limit: SHOWN },
    });
    return [
      h('h2', null, `Workflows${more(page.next_cursor)}`),
      table(['workflow', 'status', 'steps', 'started'], page.items, (w) => [
        w.name,
        h('span', { class: `st-${w.status}` }, w.status),
        stepsOf(w),
        time(w.created_at),
      ]),
    ];
  });
}

/** The steps in order: done, current (the next to run) or to come; compensated ones say so. */
function stepsOf(w: WorkflowDto): HTMLElement {
  const stepClass = (i: number) =>
    i < w.current_step ? 'done' : i === w.current_step ? 'current' : '';
  return h(
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
    w.error ? h('li', { class: 'error' }, w.error) : null,
  );
}

async function drawJobs(ctx: ViewContext, into: HTMLElement, mediator: string): Promise<void> {
  await guarded(into, async () => {
    const page = await ctx.session.api.jobs.list({
      path: { name: mediator },
      query: { limit: SHOWN },
    });
    const rows = await Promise.all(
      page.items.map(async (job) => {
        const path = { name: mediator, job: job.name };
        const runs = await ctx.session.api.jobs.runs({ path, query: { limit: RUNS_PER_JOB } });
        return { job, runs: runs.items };
      }),
    );
    return [
      h('h2', null, `Jobs${more(page.next_cursor)}`),
      table(['job', 'schedule', 'target', 'next fire', 'last runs'], rows, ({ job, runs }) => [
        job.name,
        job.schedule,
        `${job.target} ${job.type}`,
        job.paused
          ? h('span', { class: 'st-stopped' }, 'paused')
          : h('time', { datetime: job.next_run_at ?? undefined }, time(job.next_run_at)),
        runsOf(runs),
      ]),
    ];
  });
}

function runsOf(runs: JobRunResponseDto[]): HTMLElement | string {
  if (runs.length === 0) return 'none yet';
  return h(
    'ul',
    { class: 'runs' },
    runs.map((r) =>
      h(
        'li',
        null,
        h('time', { datetime: r.fired_at }, time(r.fired_at)),
        r.catch_up ? ' (catch-up)' : '',
      ),
    ),
  );
}

async function drawPools(ctx: ViewContext, into: HTMLElement, mediator: string): Promise<void> {
  await guarded(into, async () => {
    const page = await ctx.session.api.resources.list({
      path: { name: mediator },
      query: { limit: SHOWN },
    });
    return [
      h('h2', null, `Resource pools${more(page.next_cursor)}`),
      table(['pool', 'type', 'used', 'leases'], page.items, (r) => [
        r.name,
        r.type,
        `${r.used} of ${r.capacity}`,
        leasesOf(r.leases),
      ]),
    ];
  });
}

function leasesOf(leases: LeaseResponseDto[]): HTMLElement | string {
  if (leases.length === 0) return 'none';
  return h(
    'ul',
    { class: 'leases' },
    leases.map((l) => h('li', null, `${l.holder_id} ×${l.amount}, expires ${time(l.expires_at)}`)),
  );
}

async function guarded(into: HTMLElement, draw: () => Promise<(Node | string)[]>): Promise<void> {
  try {
    replace(into, ...(await draw()));
  } catch (error) {
    replace(into, h('p', { class: 'error' }, describeError(error)));
  }
}
