import { EventFanOut } from '../../memory-adapters';
import type { LifecycleEvent } from '../../ports';
import { type WorkflowState, type WorkflowStatus, isFinished } from './workflow';

/**
 * Workflow state, written after every step so another instance can resume. `save` is a
 * compare-and-set on the status, so a cancel and a runner finishing a step cannot overwrite
 * each other (SQL: `UPDATE … WHERE id = ? AND status = ?`).
 */
export abstract class WorkflowStore {
  abstract add(state: WorkflowState, event: LifecycleEvent): Promise<WorkflowState>;
  /** Writes `next` if the stored status is still `expected`; false otherwise. */
  abstract save(
    next: WorkflowState,
    expected: WorkflowStatus,
    events: LifecycleEvent[],
  ): Promise<boolean>;
  abstract find(mediator: string, id: string): Promise<WorkflowState | null>;
  /**
   * Takes over the unfinished workflows nobody holds (lease expired or none), for `owner` until
   * `leaseUntil`, in one atomic step per workflow, and returns them.
   */
  abstract claimResumable(
    mediator: string,
    owner: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<WorkflowState[]>;
}

export class InMemoryWorkflowStore extends WorkflowStore {
  private readonly workflows = new Map<string, WorkflowState>();

  constructor(readonly events = new EventFanOut()) {
    super();
  }

  async add(state: WorkflowState, event: LifecycleEvent): Promise<WorkflowState> {
    this.workflows.set(this.key(state.mediator, state.id), state);
    this.events.emit(event);
    return state;
  }

  async save(
    next: WorkflowState,
    expected: WorkflowStatus,
    events: LifecycleEvent[],
  ): Promise<boolean> {
    const key = this.key(next.mediator, next.id);
    if (this.workflows.get(key)?.status !== expected) return false;
    this.workflows.set(key, next);
    for (const event of events) this.events.emit(event);
    return true;
  }

  async find(mediator: string, id: string): Promise<WorkflowState | null> {
    return this.workflows.get(this.key(mediator, id)) ?? null;
  }

  async claimResumable(
    mediator: string,
    owner: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<WorkflowState[]> {
    const claimed: WorkflowState[] = [];
    for (const [key, state] of this.workflows) {
      if (state.mediator !== mediator || isFinished(state)) continue;
      if (state.leaseUntil && state.leaseUntil > now) continue;
      const taken = { ...state, owner, leaseUntil };
      this.workflows.set(key, taken);
      claimed.push(taken);
    }
    return claimed;
  }

  private key(mediator: string, id: string): string {
    return `${mediator}\u0000${id}`;
  }
}
