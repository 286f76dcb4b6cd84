import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { MediatorError, PendingReplies } from '@mediator/core';

/**
 * A handler's answer to a request (command, query, workflow step, …), the same over the
 * Socket.IO ack callback and `POST messages/{message_id}/reply`.
 */
export type RequestAnswer =
  | { ok: true; result?: unknown }
  | { ok: false; error: { code: string; message: string } };

/**
 * How long a handler may take to answer over Socket.IO. The core enforces each request's own
 * timeout; this only bounds how long an emit keeps waiting for its ack callback.
 */
export const REQUEST_ACK_WINDOW_MS = 10 * 60_000;

/** Fails a request with the handler's code: the handler decided, so the request is unprocessable. */
export class HandlerAnswerError extends MediatorError {
  constructor(code: string, message: string) {
    super(code, 'unprocessable', message);
  }
}

/**
 * Requests of this instance that wait for their handler's answer, and the way an answer reaches
 * them from wherever it arrives: the Socket.IO ack (which comes back to the emitting instance,
 * also through the Redis adapter), or a REST reply or redelivery ack on any instance.
 */
export abstract class RequestReplies {
  protected readonly pending = new PendingReplies();

  /** Waits for the answer to request `id` on this instance. */
  abstract wait(id: string): Promise<unknown>;
  /** Stops waiting (the core timed out); an answer that still comes is refused. */
  abstract forget(id: string): void;
  /** Hands an answer to the instance that waits for it; false when no one waits any more. */
  abstract answer(id: string, answer: unknown): Promise<boolean>;

  /** Settles a request waiting here: `{ ok: true }` resolves, anything else rejects. */
  protected settleHere(id: string, answer: unknown): boolean {
    const a = answer as Partial<RequestAnswer> | null | undefined;
    if (a?.ok === true) return this.pending.resolve(id, (a as { result?: unknown }).result ?? null);
    return this.pending.reject(id, answerError(a));
  }
}

const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

function answerError(answer: Partial<RequestAnswer> | null | undefined): MediatorError {
  const error = (answer as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (answer?.ok === false && typeof error?.code === 'string') {
    const message = String(error.message ?? error.code);
    // Codes on the wire are UPPER_SNAKE (CONTRACT §3); another one is kept in the message.
    return ERROR_CODE.test(error.code)
      ? new HandlerAnswerError(error.code, message)
      : new HandlerAnswerError('HANDLER_FAILED', `${error.code}: ${message}`);
  }
  return new HandlerAnswerError(
    'HANDLER_FAILED',
    'the handler answered without { ok: true, result } or { ok: false, error: { code, message } }',
  );
}

/** Embedded default: one instance, so every waiting request is in this process. */
export class LocalRequestReplies extends RequestReplies {
  wait(id: string): Promise<unknown> {
    return this.pending.wait(id);
  }

  forget(id: string): void {
    this.pending.forget(id);
  }

  async answer(id: string, answer: unknown): Promise<boolean> {
    return this.settleHere(id, answer);
  }
}

/**
 * Across instances through Redis. While a request waits, `{<prefix>requests}:waiting:<id>` names
 * the waiting instance; an answer that arrives elsewhere takes that key (GETDEL, so one answer
 * wins) and is published on the waiting instance's channel. The key outlives no request by more
 * than REQUEST_ACK_WINDOW_MS: the core's timeout deletes it through `forget`.
 */
export class RedisRequestReplies
  extends RequestReplies
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger(RedisRequestReplies.name);
  private readonly instanceId = randomUUID();
  private readonly keyPrefix: string;
  private readonly channelPrefix: string;

  constructor(
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    prefix: string,
  ) {
    super();
    this.keyPrefix = `{${prefix}requests}:waiting:`;
    this.channelPrefix = `${prefix}requests:answers:`;
  }

  async onModuleInit(): Promise<void> {
    this.subscriber.on('message', (_channel: string, raw: string) => {
      try {
        const { id, answer } = JSON.parse(raw) as { id: string; answer: unknown };
        this.settleHere(id, answer);
      } catch (error) {
        this.logger.warn({ err: error }, 'unreadable request answer');
      }
    });
    // Resolves once Redis is reachable; ioredis re-subscribes by itself after a reconnect.
    void this.subscriber.subscribe(this.channelPrefix + this.instanceId).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not subscribe to request answers');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber.unsubscribe().catch(() => undefined);
  }

  wait(id: string): Promise<unknown> {
    const answer = this.pending.wait(id);
    this.commands
      .set(this.keyPrefix + id, this.instanceId, 'PX', REQUEST_ACK_WINDOW_MS)
      .catch((error: unknown) => this.logFailure(error));
    return answer;
  }

  forget(id: string): void {
    this.pending.forget(id);
    this.commands.del(this.keyPrefix + id).catch((error: unknown) => this.logFailure(error));
  }

  async answer(id: string, answer: unknown): Promise<boolean> {
    if (this.settleHere(id, answer)) {
      this.commands.del(this.keyPrefix + id).catch((error: unknown) => this.logFailure(error));
      return true;
    }
    const owner = await this.commands.getdel(this.keyPrefix + id);
    if (!owner) return false;
    if (owner === this.instanceId) return false; // waited here, already settled or forgotten
    const receivers = await this.commands.publish(
      this.channelPrefix + owner,
      JSON.stringify({ id, answer }),
    );
    return receivers > 0;
  }

  private logFailure(error: unknown): void {
    this.logger.debug(
      { err: error instanceof Error ? error.message : String(error) },
      'request key',
    );
  }
}
