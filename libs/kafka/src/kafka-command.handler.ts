import { asUnavailable } from '@mediator/http';
import { Injectable, Logger } from '@nestjs/common';
import { KafkaHeaders } from '@nestjs/microservices';
import { MediatorError, ValidationError } from '@mediator/core';
import { AuditService, outcomeOf } from '@mediator/audit';
import { validateDto } from '@mediator/messaging';
import { MetricsService } from '@mediator/observability';
import { InvalidJsonError, UnknownOperationError } from './kafka-errors';
import { KafkaOperations } from './kafka-operations';

/** The reply of CONTRACT §6, on `mediator-responses` (or the request's `kafka_replyTopic`). */
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

/** Kafka has no token: every command acts as this principal; the broker's ACLs decide who may write. */
export const KAFKA_PRINCIPAL = 'kafka';

/**
 * The Kafka edge (DESIGN rule 5): reads `{ type, payload }`, validates the payload with the REST
 * DTO rules, makes one service call, audits state changes, counts, and answers. It never throws:
 * a bad record gets an error reply and the consumer moves on.
 */
@Injectable()
export class KafkaCommandHandler {
  private readonly logger = new Logger('KafkaCommands');

  constructor(
    private readonly operations: KafkaOperations,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  async handle(record: CommandRecord): Promise<{ value: KafkaReply }> {
    const correlationId = headerOf(record, KafkaHeaders.CORRELATION_ID);
    let type = 'unknown';
    let audited: Record<string, unknown> | undefined;
    try {
      const command = parseCommand(record.value);
      const operation = this.operations.find(command.type);
      if (!operation) throw new UnknownOperationError(command.type);
      type = command.type;
      if (operation.audited) audited = isObject(command.payload) ? command.payload : {};
      if (command.payload === undefined)
        throw new ValidationError('the command has no payload', [
          { field: 'payload', problem: 'is required' },
        ]);
      const result = await operation.run(validateDto(operation.payload, command.payload));
      if (audited) this.record(type, correlationId, audited, 'ok', result);
      this.metrics.kafkaCommand(type, 'ok');
      return { value: { correlation_id: correlationId, ok: true, result } };
    } catch (error) {
      if (audited) this.record(type, correlationId, audited, outcomeOf(error), undefined, error);
      this.metrics.kafkaCommand(type, 'error');
      return {
        value: { correlation_id: correlationId, ok: false, error: this.describe(error, record) },
      };
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

  private record(
    action: string,
    correlationId: string | null,
    payload: Record<string, unknown>,
    outcome: 'ok' | 'denied' | 'error',
    result?: unknown,
    error?: unknown,
  ): void {
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const mediator =
      text(payload.mediator) ?? (action === 'create_mediator' ? text(payload.name) : undefined);
    this.audit.record({
      actor: KAFKA_PRINCIPAL,
      transport: 'kafka',
      action,
      outcome,
      mediator,
      target:
        text(payload.message_id) ??
        text(payload.id) ??
        text(payload.colleague_id) ??
        text(payload.name) ??
        text((result as { id?: unknown } | null | undefined)?.id) ??
        mediator,
      requestId: correlationId ?? undefined,
      ...(error
        ? { details: { code: error instanceof MediatorError ? error.code : 'INTERNAL_ERROR' } }
        : {}),
    });
  }
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
