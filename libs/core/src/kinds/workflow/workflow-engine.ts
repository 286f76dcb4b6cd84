import { InvalidStateError, ValidationError, WorkflowNotFoundError } from '../../errors';
import type { JsonValue } from '../../model';
import {
  type KindHost,
  addMs,
  errorMessage,
  requireName,
  requireNonNegativeInteger,
} from '../kind-host';
import {
  type WorkflowState,
  type WorkflowStatus,
  type WorkflowStepDefinition,
  cancelWorkflow,
  completeStep,
  finishFailed,
  isFinished,
  markCompensated,
  retriesOf,
  startCompensation,
  stepsToCompensate,
} from './workflow';
import type { WorkflowStore } from './workflow-store';

export interface StartWorkflowInput {
  name: string;
  steps: WorkflowStepDefinition[];
  data?: JsonValue;
  retryCount?: number;
}

export interface WorkflowOptions {
  /** Retries of a failed step when neither step nor workflow says. */
  retryCount: number;
  /** How long one run holds a workflow; must exceed the longest step, or two may run it. */
  leaseMs: number;
  stepTimeoutMs?: number;
}

const DEFAULTS: WorkflowOptions = { retryCount: 1, leaseMs: 60_000 };

/**
 * Workflows (sagas): named steps run in order, each by the handler of its type. The state is
 * stored after every step, so `resumeWorkflows()` on a new instance carries on where a dead one
 * stopped. A step that still fails after its retries makes the completed steps be compensated,
 * latest first, and the workflow `failed`.
 */
export class WorkflowEngine {
  private readonly options: WorkflowOptions;
  /** Owner name of the leases this engine takes. */
  readonly instanceId: string;

  constructor(
    private readonly host: KindHost,
    private readonly store: WorkflowStore,
    options: Partial<WorkflowOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.instanceId = host.newId();
  }

  /** Creates the workflow and runs it; resolves with its final state. */
  async start(input: StartWorkflowInput): Promise<WorkflowState> {
    return this.drive(await this.create(input));
  }

  /** Stores a new running workflow held by this engine; `run(id)` executes it. */
  async create(input: StartWorkflowInput): Promise<WorkflowState> {
    validateInput(input);
    const now = this.host.clock.now();
    const state: WorkflowState = {
      id: this.host.newId(),
      mediator: this.host.name,
      name: input.name,
      steps: input.steps.map((s) => ({ ...s })),
      data: input.data ?? null,
      status: input.steps.length === 0 ? 'completed' : 'running',
      currentStep: 0,
      retryCount: input.retryCount ?? this.options.retryCount,
      results: {},
      compensated: [],
      error: null,
      owner: this.instanceId,
      leaseUntil: addMs(now, this.options.leaseMs),
      createdAt: now,
      updatedAt: now,
    };
    return this.store.add(state, this.lifecycle('workflow_started', state));
  }

  async run(id: string): Promise<WorkflowState> {
    return this.drive(await this.get(id));
  }

  async get(id: string): Promise<WorkflowState> {
    const state = await this.store.find(this.host.name, id);
    if (!state) throw new WorkflowNotFoundError(this.host.name, id);
    return state;
  }

  /** Stops the workflow before its next step; a finished one cannot be cancelled. */
  async cancel(id: string): Promise<WorkflowState> {
    for (;;) {
      const state = await this.get(id);
      if (isFinished(state)) {
        throw new InvalidStateError(`workflow '${id}' is already ${state.status}`);
      }
      const cancelled = cancelWorkflow(state, this.host.clock.now());
      const event = this.lifecycle('workflow_cancelled', cancelled);
      // Lost a race with the runner's step write: read again and retry.
      if (await this.store.save(cancelled, state.status, [event])) return cancelled;
    }
  }

  /** Takes over the unfinished workflows whose runner is gone and runs them to the end. */
  async resumeWorkflows(): Promise<WorkflowState[]> {
    const now = this.host.clock.now();
    const claimed = await this.store.claimResumable(
      this.host.name,
      this.instanceId,
      now,
      addMs(now, this.options.leaseMs),
    );
    return Promise.all(claimed.map((state) => this.drive(state)));
  }

  private async drive(initial: WorkflowState): Promise<WorkflowState> {
    let state: WorkflowState | null = initial;
    while (state?.status === 'running') state = await this.runStep(state);
    if (state?.status === 'compensating') state = await this.compensate(state);
    return state ?? this.get(initial.id);
  }

  /** Runs the current step with its retries; null when a cancel overtook it. */
  private async runStep(state: WorkflowState): Promise<WorkflowState | null> {
    const step = state.steps[state.currentStep];
    let failure: unknown;
    for (let attempt = 1; attempt <= retriesOf(state, step) + 1; attempt++) {
      try {
        const reply = await this.requestStep(state, step, step.type, attempt);
        return this.persistStepCompleted(state, step, reply);
      } catch (error) {
        failure = error;
      }
    }
    const reason = `step '${step.name}' failed: ${errorMessage(failure)}`;
    const next = this.renewLease(startCompensation(state, reason, this.host.clock.now()));
    return (await this.store.save(next, 'running', [])) ? next : null;
  }

  private async persistStepCompleted(
    state: WorkflowState,
    step: WorkflowStepDefinition,
    reply: unknown,
  ): Promise<WorkflowState | null> {
    const next = this.renewLease(completeStep(state, toJson(reply), this.host.clock.now()));
    const events = [
      this.lifecycle('workflow_step_completed', next, { step: step.name, type: step.type }),
    ];
    if (next.status === 'completed') events.push(this.lifecycle('workflow_completed', next));
    return (await this.store.save(next, 'running', events)) ? next : null;
  }

  /** Undoes the completed steps, latest first; a compensation that fails is reported, not retried forever. */
  private async compensate(state: WorkflowState): Promise<WorkflowState | null> {
    const failedCompensations: string[] = [];
    let current = state;
    for (const step of stepsToCompensate(current)) {
      try {
        await this.requestStep(current, step, step.compensate as string, 1);
      } catch {
        failedCompensations.push(step.name);
      }
      const next = this.renewLease(markCompensated(current, step.name, this.host.clock.now()));
      if (!(await this.store.save(next, 'compensating', []))) return null;
      current = next;
    }
    const failed = finishFailed(current, this.host.clock.now());
    const event = this.lifecycle('workflow_failed', failed, {
      compensated: failed.compensated,
      compensation_failed: failedCompensations,
    });
    return (await this.store.save(failed, 'compensating', [event])) ? failed : null;
  }

  private requestStep(
    state: WorkflowState,
    step: WorkflowStepDefinition,
    type: string,
    attempt: number,
  ): Promise<unknown> {
    const payload: JsonValue = {
      workflow_id: state.id,
      workflow: state.name,
      step: step.name,
      attempt,
      data: state.data,
      results: state.results,
    };
    return this.host.requestAsMediator('workflow', type, payload, this.options.stepTimeoutMs);
  }

  private renewLease(state: WorkflowState): WorkflowState {
    if (['completed', 'failed', 'cancelled'].includes(state.status)) {
      return { ...state, owner: null, leaseUntil: null };
    }
    const leaseUntil = addMs(this.host.clock.now(), this.options.leaseMs);
    return { ...state, owner: this.instanceId, leaseUntil };
  }

  private lifecycle(event: string, state: WorkflowState, extra: Record<string, unknown> = {}) {
    return this.host.event(event, {
      id: state.id,
      name: state.name,
      status: state.status satisfies WorkflowStatus,
      current_step: state.currentStep,
      ...(state.error ? { error: state.error } : {}),
      ...extra,
    });
  }
}

function validateInput(input: StartWorkflowInput): void {
  requireName('name', input.name);
  if (!Array.isArray(input.steps)) {
    throw new ValidationError('invalid steps', [{ field: 'steps', problem: 'must be a list' }]);
  }
  const names = new Set<string>();
  input.steps.forEach((step, i) => {
    requireName(`steps[${i}].name`, step.name);
    requireName(`steps[${i}].type`, step.type);
    if (step.compensate !== undefined) requireName(`steps[${i}].compensate`, step.compensate);
    if (step.retryCount !== undefined) {
      requireNonNegativeInteger(`steps[${i}].retry_count`, step.retryCount);
    }
    if (names.has(step.name)) {
      throw new ValidationError('duplicate step name', [
        { field: `steps[${i}].name`, problem: `'${step.name}' is used twice` },
      ]);
    }
    names.add(step.name);
  });
  if (input.retryCount !== undefined) requireNonNegativeInteger('retry_count', input.retryCount);
}

function toJson(reply: unknown): JsonValue {
  return reply === undefined ? null : (reply as JsonValue);
}
