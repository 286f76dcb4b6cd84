import type { JsonValue } from '../../model';

export interface WorkflowStepDefinition {
  name: string;
  type: string;
  compensate?: string;
  retryCount?: number;
}

export type WorkflowStatus = 'running' | 'compensating' | 'completed' | 'failed' | 'cancelled';

export interface WorkflowState {
  id: string;
  mediator: string;
  name: string;
  steps: WorkflowStepDefinition[];
  data: JsonValue;
  status: WorkflowStatus;
  /** Index of the next step to run; the steps before it are completed. */
  currentStep: number;
  /** Retries of a step when the step does not say. */
  retryCount: number;
  /** Each completed step's reply, by step name. */
  results: Record<string, JsonValue>;
  /** Names of the steps already compensated (so a resumed compensation does not repeat one). */
  compensated: string[];
  error: string | null;
  /** The instance running it and until when: an expired lease means the runner died. */
  owner: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const FINISHED_WORKFLOW_STATUSES: readonly WorkflowStatus[] = [
  'completed',
  'failed',
  'cancelled',
];

export function isFinished(state: WorkflowState): boolean {
  return FINISHED_WORKFLOW_STATUSES.includes(state.status);
}

// Pure transitions; each returns the next state to persist.

export function completeStep(state: WorkflowState, result: JsonValue, now: Date): WorkflowState {
  const step = state.steps[state.currentStep];
  const currentStep = state.currentStep + 1;
  const done = currentStep === state.steps.length;
  return {
    ...state,
    currentStep,
    results: { ...state.results, [step.name]: result },
    status: done ? 'completed' : 'running',
    updatedAt: now,
  };
}

export function startCompensation(state: WorkflowState, error: string, now: Date): WorkflowState {
  return { ...state, status: 'compensating', error, updatedAt: now };
}

/** The completed steps still to undo, latest first. */
export function stepsToCompensate(state: WorkflowState): WorkflowStepDefinition[] {
  return state.steps
    .slice(0, state.currentStep)
    .filter((s) => s.compensate && !state.compensated.includes(s.name))
    .reverse();
}

export function markCompensated(state: WorkflowState, stepName: string, now: Date): WorkflowState {
  return { ...state, compensated: [...state.compensated, stepName], updatedAt: now };
}

export function finishFailed(state: WorkflowState, now: Date): WorkflowState {
  return { ...state, status: 'failed', owner: null, leaseUntil: null, updatedAt: now };
}

export function cancelWorkflow(state: WorkflowState, now: Date): WorkflowState {
  return { ...state, status: 'cancelled', owner: null, leaseUntil: null, updatedAt: now };
}

export function retriesOf(state: WorkflowState, step: WorkflowStepDefinition): number {
  return step.retryCount ?? state.retryCount;
}
