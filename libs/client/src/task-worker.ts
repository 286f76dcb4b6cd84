import type { MediatorApi } from './generated/sdk.gen';
import type { TaskResponseDto } from './generated/types.gen';

export type TaskHandler<R = unknown> = (task: TaskResponseDto) => R | Promise<R>;

export interface WorkOptions {
  /** Tasks handled at the same time (each slot claims its own). Default 1. */
  concurrency?: number;
  /** How long a slot waits before claiming again when the queue was empty. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Claim, complete or fail failed (network, service); the slot waits and carries on. */
  onError?: (error: unknown) => void;
}

export interface TaskWorker {
  /** Claims again at once (a `task_submitted` event says there is work). */
  wake(): void;
  /** Claims no more tasks; resolves when the tasks in hand are completed or failed. */
  stop(): Promise<void>;
}

interface WorkerTarget {
  api: MediatorApi;
  mediator: string;
  workerId: string;
  type: string;
}

/**
 * Works the task queue over REST (KINDS.md, task): each slot claims one task of the type, runs
 * the handler, and completes it with the result or fails it with the error's message (the service
 * retries it up to retry_count, then marks it dead). An unfinished claim expires by itself.
 */
export function startWorker(
  target: WorkerTarget,
  handler: TaskHandler,
  options: WorkOptions = {},
): TaskWorker {
  const pollMs = options.pollIntervalMs ?? 1000;
  let running = true;
  const sleepers = new Set<() => void>();
  const wake = () => sleepers.forEach((resume) => resume());
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const resume = () => {
        clearTimeout(timer);
        sleepers.delete(resume);
        resolve();
      };
      const timer = setTimeout(resume, ms);
      sleepers.add(resume);
    });

  const slot = async () => {
    while (running) {
      try {
        const task = await claim(target);
        if (task) await finish(target, task, handler);
        else await pause(pollMs);
      } catch (error) {
        options.onError?.(error);
        await pause(pollMs);
      }
    }
  };
  const slots = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, slot);
  return {
    wake,
    async stop() {
      running = false;
      wake();
      await Promise.all(slots);
    },
  };
}

async function claim({ api, mediator, workerId, type }: WorkerTarget) {
  const task = await api.tasks.claim({
    path: { name: mediator },
    body: { worker_id: workerId, types: [type] },
  });
  // 204 when no task of the type is pending: no body.
  return task && typeof task === 'object' && 'id' in task ? task : undefined;
}

async function finish(target: WorkerTarget, task: TaskResponseDto, handler: TaskHandler) {
  const path = { name: target.mediator, id: task.id };
  let result: unknown;
  try {
    result = await handler(task);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await target.api.tasks.fail({ path, body: { worker_id: target.workerId, error: message } });
    return;
  }
  await target.api.tasks.complete({
    path,
    body: { worker_id: target.workerId, result: result === undefined ? null : result },
  });
}
