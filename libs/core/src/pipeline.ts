import type { JsonValue, MediatorKind } from './model';

/** What a pipeline behaviour sees of one dispatch (a send, broadcast, request or publish). */
export interface DispatchContext {
  readonly mediator: string;
  readonly operation: 'send' | 'broadcast' | 'request' | 'publish';
  readonly kind: MediatorKind;
  readonly type: string;
  readonly senderId: string;
  /** The addressee of a send; null for a broadcast, a request (chosen later) or an event. */
  readonly recipientId: string | null;
  readonly data: JsonValue;
  /** Free space for behaviours to pass facts along (a start time, a trace id, …). */
  readonly items: Map<string, unknown>;
}

/**
 * Middleware around every dispatch: call `next()` to go on (and get its result), throw to stop
 * it (validation), or wrap it (logging, metrics).
 */
export type PipelineBehaviour = (
  context: DispatchContext,
  next: () => Promise<unknown>,
) => Promise<unknown>;

/** Runs `final` inside the behaviours, the first registered being the outermost. */
export function runPipeline<T>(
  behaviours: readonly PipelineBehaviour[],
  context: DispatchContext,
  final: () => Promise<T>,
): Promise<T> {
  const step = (index: number): Promise<unknown> => {
    if (index === behaviours.length) return final();
    let called = false;
    return behaviours[index](context, () => {
      // A behaviour that calls next() twice would dispatch the message twice.
      if (called) return Promise.reject(new Error('a pipeline behaviour called next() twice'));
      called = true;
      return step(index + 1);
    });
  };
  return step(0) as Promise<T>;
}
