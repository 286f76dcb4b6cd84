import { ValidationError } from '../errors';
import type { JsonValue, MediatorKind } from '../model';
import type { Clock, LifecycleEvent } from '../ports';
import type { Scheduler } from '../timing';

/**
 * What a kind (notifications, workflows, tasks, …) needs from its mediator: its name, time,
 * ids, lifecycle events, and a way to send a request to the handler of a type. ConcreteMediator
 * provides it; the service can build kinds on the same host with its own stores.
 */
export interface KindHost {
  readonly name: string;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  newId(): string;
  event(event: string, data: unknown): LifecycleEvent;
  /** A request sent by the mediator itself (sender `mediator:<kind>`) to the handler of `type`. */
  requestAsMediator(
    kind: MediatorKind,
    type: string,
    data: JsonValue,
    timeoutMs?: number,
  ): Promise<unknown>;
}

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function requireNonNegativeInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw validation(field, 'must be a non-negative integer');
  }
}

export function requireInteger(field: string, value: number): void {
  if (!Number.isInteger(value)) throw validation(field, 'must be an integer');
}

export function requirePositiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw validation(field, 'must be a positive integer');
}

export function requireName(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
    throw validation(field, 'must be a non-empty string of at most 200 characters');
  }
}

function validation(field: string, problem: string): ValidationError {
  return new ValidationError(`invalid ${field}`, [{ field, problem }]);
}
