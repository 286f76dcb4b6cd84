import { asUnavailable, validateDto } from '@mediator/http';
import { Injectable, Logger } from '@nestjs/common';
import { KafkaHeaders } from '@nestjs/microservices';
import { MediatorError, ValidationError } from '@mediator/core';
import { type AuditedCall, AuditService } from '@mediator/audit';
import { type Principal, RateLimiter, TokenService } from '@mediator/auth';
import { MetricsService } from '@mediator/observability';
import { REFUSED_REPLY_TOPIC } from './kafka-command.server';
import { InvalidJsonError, ReplyTopicForbiddenError, UnknownOperationError } from './kafka-errors';
import { KafkaOperations } from './kafka-operations';
import { type Operation, requireBindings, requireScopes } from './operation';

/** The reply of CONTRACT §6, on `mediator-responses` (or the request's allowed `kafka_replyTopic`). */
export type KafkaReply =
  | { correlation_id: string | null; ok: true; result: unknown }
  | {
      correlation_id: string | null;
      ok: false;
      error: { code: string; message: string; details?: { field: string; problem: string }[] };
    };

/** A record as Nest's KafkaParser hands it over: value JSON-decoded when it looked like JSON. */
export interface CommandRecord {
  value: unknown;
  headers?: Record<string, unknown>;
  partition?: number;
  offset?: string;
}

/** The record header holding the caller's token: `Bearer <jwt>`, the same JWT as REST. */
export const AUTHORIZATION_HEADER = 'authorization';

/** What is known about a command so far, for its audit row and its metric. */
interface Attempt {
  type: string;
  actor?: string;
  /** The payload of a state-changing command, once its caller is known. */
  audited?: Record<string, unknown>;
  /** The record carried no valid token: its refusal is counted, not written one row each. */
  tokenRefused?: boolean;
}

/**
 * The Kafka edge (DESIGN rule 5): reads `{ type, payload }`, authenticates the record's token,
 * rate limits its subject, validates the payload with the REST DTO rules, checks the scopes and
 * bindings the REST route checks, makes one service call, audits state changes, counts, and
 * answers. It never throws: a bad record gets an error reply and the consumer moves on.
 */
@Injectable()
export class KafkaCommandHandler {
  private readonly logger = new Logger('KafkaCommands');

  constructor(
    private readonly operations: KafkaOperations,
    private readonly tokens: TokenService,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  async handle(record: CommandRecord): Promise<{ value: KafkaReply }> {
    const correlationId = headerOf(record, KafkaHeaders.CORRELATION_ID);
    const attempt: Attempt = { type: 'unknown' };
    try {
      const refused = headerOf(record, REFUSED_REPLY_TOPIC);
      if (refused !== null) throw new ReplyTopicForbiddenError(refused);
      const command = parseCommand(record.value);
      const operation = this.operations.find(command.type);
      if (!operation) throw new UnknownOperationError(command.type);
      attempt.type = command.type;
      const result = await this.execute(record, operation, command.payload, attempt);
      if (attempt.audited) this.audit.succeeded(auditedCall(attempt, correlationId, result));
      this.metrics.kafkaCommand(attempt.type, 'ok');
      return { value: { correlation_id: correlationId, ok: true, result } };
    } catch (error) {
      if (attempt.audited || attempt.tokenRefused)
        this.audit.failed(auditedCall(attempt, correlationId), error);
      this.metrics.kafkaCommand(attempt.type, 'error');
      return {
        value: { correlation_id: correlationId, ok: false, error: this.describe(error, record) },
      };
    }
  }

  /** Who is calling, whether they may, then the one service call. */
  private async execute(
    record: CommandRecord,
    operation: Operation,
    rawPayload: unknown,
    attempt: Attempt,
  ): Promise<unknown> {
    const principal = await this.authenticate(record, attempt);
    attempt.actor = principal.sub;
    if (operation.audited) attempt.audited = isObject(rawPayload) ? rawPayload : {};
    // Without security there is no caller to tell apart: broker quotas limit Kafka clients then.
    if (this.tokens.enabled) await this.limiter.consume(RateLimiter.subject(principal.sub));
    requireScopes(principal, operation);
    if (rawPayload === undefined)
      throw new ValidationError('the command has no payload', [
        { field: 'payload', problem: 'is required' },
      ]);
    const payload = validateDto(operation.payload, rawPayload);
    requireBindings(principal, operation, payload);
    return operation.run(payload, principal);
  }

  /**
   * A command without a valid token runs nothing (not even a rate-limit count); like anonymous HTTP
   * callers, its refusals are counted per minute in one audit row, not one row each.
   */
  private async authenticate(record: CommandRecord, attempt: Attempt): Promise<Principal> {
    try {
      return await this.tokens.authenticate(headerOf(record, AUTHORIZATION_HEADER) ?? undefined);
    } catch (error) {
      if (error instanceof MediatorError) attempt.tokenRefused = true;
      throw error;
    }
  }

  private describe(error: unknown, record: CommandRecord) {
    if (error instanceof MediatorError) {
      if (error.category === 'validation')
        this.logger.warn(
          { partition: record.partition, offset: record.offset, code: error.code },
          'rejected a Kafka command',
        );
      return {
        code: error.code,
        message: error.message,
        ...(error.details?.length ? { details: error.details } : {}),
      };
    }
    const unavailable = asUnavailable(error);
    if (unavailable) return { code: unavailable.code, message: unavailable.message };
    this.logger.error(
      { err: error, partition: record.partition, offset: record.offset },
      'Kafka command failed',
    );
    return { code: 'INTERNAL_ERROR', message: 'internal error' };
  }
}

/** A Kafka command as an audited call; its payload (or what it created) names the target. */
function auditedCall(
  { type: action, actor, audited: payload = {}, tokenRefused }: Attempt,
  correlationId: string | null,
  result?: unknown,
): AuditedCall {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const mediator =
    text(payload.mediator) ?? (action === 'create_mediator' ? text(payload.name) : undefined);
  return {
    transport: 'kafka',
    action,
    actor: tokenRefused ? undefined : (actor ?? 'anonymous'),
    mediator,
    target:
      text(payload.message_id) ??
      text(payload.id) ??
      text(payload.colleague_id) ??
      text(payload.name) ??
      text((result as { id?: unknown } | null | undefined)?.id) ??
      mediator,
    requestId: correlationId ?? undefined,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerOf(record: CommandRecord, name: string): string | null {
  const value = record.headers?.[name];
  if (value === undefined || value === null) return null;
  return Buffer.isBuffer(value) ? value.toString() : String(value);
}

/** `{ "type": string, "payload": … }` from the record value (already JSON-decoded by Nest when it could). */
function parseCommand(value: unknown): { type: string; payload: unknown } {
  let command = value;
  if (command === null || command === undefined)
    throw new ValidationError('the record has no value', [{ field: '', problem: 'is required' }]);
  if (Buffer.isBuffer(command)) throw new InvalidJsonError();
  if (typeof command === 'string') {
    try {
      command = JSON.parse(command);
    } catch {
      throw new InvalidJsonError();
    }
  }
  if (!isObject(command))
    throw new ValidationError('a command is a JSON object { "type", "payload" }', [
      { field: '', problem: 'must be an object' },
    ]);
  const unknown = Object.keys(command).filter((k) => k !== 'type' && k !== 'payload');
  if (typeof command.type !== 'string' || unknown.length > 0)
    throw new ValidationError('a command is a JSON object { "type", "payload" }', [
      ...(typeof command.type !== 'string' ? [{ field: 'type', problem: 'must be a string' }] : []),
      ...unknown.map((field) => ({ field, problem: 'is not allowed' })),
    ]);
  return { type: command.type, payload: command.payload };
}
