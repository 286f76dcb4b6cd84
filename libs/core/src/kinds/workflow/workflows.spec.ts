import { ConcreteMediator } from '../../concrete-mediator';
import { FunctionColleague } from '../../colleague';
import type { LifecycleEvent } from '../../ports';
import { ManualClock } from '../../timing';
import { BaseWorkflow, WorkflowStep } from '../base-messages';
import { WorkflowHandler, type WorkflowStepRun } from '../handlers';
import { InMemoryWorkflowStore } from './workflow-store';

/** Runs steps of the given types, recording the order; `fail` decides which attempts throw. */
class Steps extends WorkflowHandler {
  readonly log: string[] = [];
  constructor(
    types: string[],
    private readonly fail: (run: WorkflowStepRun) => boolean = () => false,
  ) {
    super('steps', types);
  }
  runStep(run: WorkflowStepRun): unknown {
    this.log.push(`${run.type}#${run.attempt}`);
    if (this.fail(run)) throw new Error(`${run.type} broke`);
    return { done: run.type, saw: Object.keys(run.results) };
  }
}

const ORDER = new BaseWorkflow(
  'order',
  [
    new WorkflowStep('reserve', 'reserve_stock', 'release_stock'),
    new WorkflowStep('charge', 'charge_card', 'refund_card'),
    new WorkflowStep('ship', 'ship_order'),
  ],
  { order: 42 },
);
const TYPES = ['reserve_stock', 'release_stock', 'charge_card', 'refund_card', 'ship_order'];

async function setUp(
  fail?: (run: WorkflowStepRun) => boolean,
  store = new InMemoryWorkflowStore(),
) {
  const clock = new ManualClock();
  const mediator = new ConcreteMediator(
    {},
    { clock, scheduler: clock, stores: { workflows: store } },
  );
  const steps = new Steps(TYPES, fail);
  await mediator.registerColleague(steps);
  const events: LifecycleEvent[] = [];
  store.events.on((e) => events.push(e));
  return { mediator, steps, store, clock, events };
}

describe('workflows', () => {
  it('run the steps in order, each by the handler of its type, passing earlier results', async () => {
    const { mediator, steps, events } = await setUp();

    const state = await mediator.workflows.start(ORDER);

    expect(steps.log).toEqual(['reserve_stock#1', 'charge_card#1', 'ship_order#1']);
    expect(state).toMatchObject({ status: 'completed', currentStep: 3, error: null, owner: null });
    expect(state.results.ship).toEqual({ done: 'ship_order', saw: ['reserve', 'charge'] });
    expect(events.map((e) => e.event)).toEqual([
      'workflow_started',
      'workflow_step_completed',
      'workflow_step_completed',
      'workflow_step_completed',
      'workflow_completed',
    ]);
    expect(await mediator.workflows.get(state.id)).toEqual(state);
  });

  it('retries a failed step, then compensates the completed steps in reverse order', async () => {
    const { mediator, steps, events } = await setUp((run) => run.type === 'ship_order');

    const state = await mediator.workflows.start(ORDER);

    expect(steps.log).toEqual([
      'reserve_stock#1',
      'charge_card#1',
      'ship_order#1',
      'ship_order#2',
      'refund_card#1',
      'release_stock#1',
    ]);
    expect(state).toMatchObject({ status: 'failed', compensated: ['charge', 'reserve'] });
    expect(state.error).toMatch(/^step 'ship' failed: .*ship_order broke/);
    expect(events.at(-1)).toMatchObject({
      event: 'workflow_failed',
      data: { compensated: ['charge', 'reserve'] },
    });
  });

  it('succeeds when a retry of the step succeeds, without compensating', async () => {
    const { mediator, steps } = await setUp(
      (run) => run.type === 'charge_card' && run.attempt === 1,
    );
    const state = await mediator.workflows.start(ORDER);
    expect(state.status).toBe('completed');
    expect(steps.log).toEqual([
      'reserve_stock#1',
      'charge_card#1',
      'charge_card#2',
      'ship_order#1',
    ]);
  });

  it('honours per-step retryCount (0: no retry)', async () => {
    const { mediator, steps } = await setUp((run) => run.type === 'reserve_stock');
    const state = await mediator.workflows.start({
      name: 'w',
      steps: [{ name: 'only', type: 'reserve_stock', retryCount: 0 }],
    });
    expect(state.status).toBe('failed');
    expect(steps.log).toEqual(['reserve_stock#1']);
  });

  it('resumes an unfinished workflow on a new mediator after the first one died, from the persisted step', async () => {
    const store = new InMemoryWorkflowStore();
    // The first instance "dies" during the charge step: its handler never answers, and its
    // virtual clock never reaches the timeout.
    const deadClock = new ManualClock('2024-01-01T00:00:00Z');
    const first = new ConcreteMediator(
      {},
      { clock: deadClock, scheduler: deadClock, stores: { workflows: store } },
    );
    const executedByFirst: string[] = [];
    await first.registerColleague(
      Object.assign(
        new FunctionColleague('steps', (e) => {
          executedByFirst.push(e.type);
          return e.type === 'charge_card' ? new Promise(() => undefined) : 'ok';
        }),
        { handles: TYPES },
      ),
    );
    void first.workflows.start(ORDER);
    await new Promise((resolve) => setImmediate(resolve));
    expect(executedByFirst).toEqual(['reserve_stock', 'charge_card']);

    // A new instance with the same store, after the first one's lease has run out.
    const { mediator: second, steps, clock } = await setUp(undefined, store);
    clock.set('2024-01-01T00:01:00Z'); // the default lease is 60 s
    const [resumed] = await second.resumeWorkflows();

    expect(steps.log).toEqual(['charge_card#1', 'ship_order#1']);
    expect(resumed).toMatchObject({ status: 'completed', currentStep: 3 });
    expect(resumed.results.reserve).toBe('ok');
  });

  it('does not resume a workflow whose runner still holds its lease', async () => {
    const store = new InMemoryWorkflowStore();
    const { mediator } = await setUp(undefined, store);
    const created = await mediator.workflows.create(ORDER);

    const { mediator: other, clock } = await setUp(undefined, store);
    clock.set(created.leaseUntil!.getTime() - 1);
    expect(await other.resumeWorkflows()).toEqual([]);
    clock.set(created.leaseUntil!.getTime());
    expect((await other.resumeWorkflows()).map((w) => w.status)).toEqual(['completed']);
    expect(await other.resumeWorkflows()).toEqual([]);
  });

  it('resumes a compensation where it stopped, without undoing a step twice', async () => {
    const store = new InMemoryWorkflowStore();
    const { mediator } = await setUp(undefined, store);
    const created = await mediator.workflows.create(ORDER);
    // Persisted as if an instance died after compensating "charge".
    await store.save(
      {
        ...created,
        status: 'compensating',
        currentStep: 2,
        compensated: ['charge'],
        leaseUntil: null,
      },
      'running',
      [],
    );
    const { mediator: other, steps } = await setUp(undefined, store);

    const [state] = await other.resumeWorkflows();

    expect(steps.log).toEqual(['release_stock#1']);
    expect(state).toMatchObject({ status: 'failed', compensated: ['charge', 'reserve'] });
  });

  it('cancels a running workflow before its next step; a finished one cannot be cancelled', async () => {
    let cancel: () => Promise<unknown> = async () => undefined;
    const { mediator, steps, events } = await setUp();
    steps.runStep = function (run) {
      this.log.push(run.type);
      if (run.type === 'reserve_stock') return cancel().then(() => 'reserved');
      return 'ok';
    };
    const created = await mediator.workflows.create(ORDER);
    cancel = () => mediator.workflows.cancel(created.id);

    const state = await mediator.workflows.run(created.id);

    expect(state.status).toBe('cancelled');
    expect(steps.log).toEqual(['reserve_stock']);
    expect(events.map((e) => e.event)).toContain('workflow_cancelled');
    await expect(mediator.workflows.cancel(created.id)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      category: 'conflict',
    });
  });

  it('validates the definition and reports unknown ids with WORKFLOW_NOT_FOUND', async () => {
    const { mediator } = await setUp();
    const start = (input: object) => mediator.workflows.start(input as never);
    await expect(start({ name: '', steps: [] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(start({ name: 'w', steps: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      start({
        name: 'w',
        steps: [
          { name: 'a', type: 't' },
          { name: 'a', type: 't' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(mediator.workflows.get('nope')).rejects.toMatchObject({
      code: 'WORKFLOW_NOT_FOUND',
    });
  });
});
