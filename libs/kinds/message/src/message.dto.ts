import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  COLLEAGUE_ID_PATTERN,
  type DeliveryStatus,
  type Envelope,
  MEDIATOR_KINDS,
  type RecipientStatus,
} from '@mediator/core';
import { OpaqueJson, PageQueryDto } from '@mediator/http';
import { type RequestAnswer, toEnvelopeWire } from '@mediator/realtime';

const ID_MESSAGE = { message: `must match ${COLLEAGUE_ID_PATTERN.source}` };

export class SendMessageDto {
  @ApiProperty({ example: 'orders-api' })
  @IsString()
  @Matches(COLLEAGUE_ID_PATTERN, ID_MESSAGE)
  sender_id: string;

  @ApiProperty({ example: 'billing-1' })
  @IsString()
  @Matches(COLLEAGUE_ID_PATTERN, ID_MESSAGE)
  recipient_id: string;

  @ApiProperty({ description: 'any JSON value', example: { order_id: 42, amount: 19.99 } })
  @OpaqueJson({ required: true })
  message: unknown;

  @ApiPropertyOptional({ enum: MEDIATOR_KINDS, default: 'message' })
  @IsOptional()
  @IsIn(MEDIATOR_KINDS)
  kind?: (typeof MEDIATOR_KINDS)[number];

  @ApiPropertyOptional({ example: 'charge_card', default: 'direct' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  type?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { trace_id: 'abc123' },
    description: 'string values, delivered with the message',
  })
  @IsOptional()
  @IsObject()
  @OpaqueJson({ nullable: false })
  headers?: Record<string, string>;

  @ApiPropertyOptional({
    example: 'order-42-charge',
    description: 'a repeat with the same key (same sender) returns the first envelope',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  idempotency_key?: string;
}

export class BroadcastMessageDto {
  @ApiProperty({ example: 'orders-api' })
  @IsString()
  @Matches(COLLEAGUE_ID_PATTERN, ID_MESSAGE)
  sender_id: string;

  @ApiProperty({ description: 'any JSON value', example: 'maintenance at 22:00 UTC' })
  @OpaqueJson({ required: true })
  message: unknown;

  @ApiPropertyOptional({ enum: MEDIATOR_KINDS, default: 'message' })
  @IsOptional()
  @IsIn(MEDIATOR_KINDS)
  kind?: (typeof MEDIATOR_KINDS)[number];

  @ApiPropertyOptional({ example: 'announcement', default: 'broadcast' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  type?: string;
}

/** Every status of one recipient's copy (see DeliveryStatus in @mediator/core). */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'acked', 'dead'] as const;

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: DELIVERY_STATUSES,
    description: '`dead`: refused or unanswered more often than `retry_count` allows',
  })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

/** The body of `POST messages/{message_id}/redeliver` (optional). */
export class RedeliverMessageDto {
  @ApiPropertyOptional({
    example: 'billing-1',
    description:
      "the recipient whose delivery to put back (default: every recipient's; a colleague-bound " +
      'token: its own)',
  })
  @IsOptional()
  @IsString()
  @Matches(COLLEAGUE_ID_PATTERN, ID_MESSAGE)
  recipient_id?: string;
}

export class EnvelopeDto {
  @ApiProperty({ example: '019ac1b2-7c3e-7a10-8f00-1234567890ab' }) id: string;
  @ApiProperty({ example: 'orders' }) mediator: string;
  @ApiProperty({ enum: MEDIATOR_KINDS, example: 'message' }) kind: string;
  @ApiProperty({ example: 'direct' }) type: string;
  @ApiProperty({ example: 'orders-api' }) sender_id: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'billing-1',
    description: 'null for a broadcast',
  })
  recipient_id: string | null;
  @ApiProperty({ description: 'the message as sent (any JSON value)', example: { order_id: 42 } })
  payload: unknown;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: {} })
  headers: Record<string, string>;
  @ApiProperty({ type: String, nullable: true, example: null }) correlation_id: string | null;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) created_at: string;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    example: 'pending',
    description: 'for several recipients, the least advanced: pending, delivered, dead, acked',
  })
  status: string;

  static from(e: Envelope): EnvelopeDto {
    return toEnvelopeWire(e);
  }
}

/** `GET …/message-counts`: one count per recipient's copy, so a broadcast to three counts three. */
export class MessageCountsDto {
  @ApiProperty({ example: 4, description: 'stored, not pushed yet (or waiting for a retry)' })
  pending: number;
  @ApiProperty({ example: 1, description: 'pushed, waiting for the ack' })
  delivered: number;
  @ApiProperty({ example: 120 }) acked: number;
  @ApiProperty({ example: 2, description: 'dead letters: given up after `retry_count` retries' })
  dead: number;
}

export class BroadcastEnvelopeDto extends EnvelopeDto {
  @ApiProperty({ example: 3, description: 'how many colleagues it was addressed to' })
  recipients: number;
}

export class RecipientStatusDto {
  @ApiProperty({ example: 'billing-1' }) recipient_id: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty({ type: String, nullable: true }) delivered_at: string | null;
  @ApiProperty({ type: String, nullable: true }) acked_at: string | null;

  static from(r: RecipientStatus): RecipientStatusDto {
    return {
      recipient_id: r.recipientId,
      status: r.status,
      delivered_at: r.deliveredAt?.toISOString() ?? null,
      acked_at: r.ackedAt?.toISOString() ?? null,
    };
  }
}

export class MessageStatusDto extends EnvelopeDto {
  @ApiProperty({ type: [RecipientStatusDto] }) recipients: RecipientStatusDto[];
}

export class EnvelopePageDto {
  @ApiProperty({ type: [EnvelopeDto] }) items: EnvelopeDto[];
  @ApiProperty({ type: String, nullable: true, example: null }) next_cursor: string | null;
}

export class ReplyErrorDto {
  @ApiProperty({ example: 'OUT_OF_STOCK', description: 'UPPER_SNAKE code the requester receives' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'must be an UPPER_SNAKE code' })
  code: string;

  @ApiProperty({ example: 'sku 42 is sold out' })
  @IsString()
  @MaxLength(1000)
  message: string;
}

/**
 * A handler's answer to a request it received (command, query, workflow step, …): the body of
 * `POST messages/{message_id}/reply`, the same shape as the Socket.IO ack.
 */
export class ReplyDto {
  @ApiProperty({ example: true })
  @IsBoolean()
  ok: boolean;

  @ApiPropertyOptional({ description: 'the reply (any JSON value) when ok', example: { id: 7 } })
  @OpaqueJson()
  result?: unknown;

  @ApiPropertyOptional({ type: ReplyErrorDto, description: 'required when ok is false' })
  @ValidateIf((o: ReplyDto) => o.ok === false)
  @IsDefined({ message: 'error is required when ok is false' })
  @ValidateNested()
  @Type(() => ReplyErrorDto)
  error?: ReplyErrorDto;

  static toAnswer(dto: ReplyDto): RequestAnswer {
    return dto.ok
      ? { ok: true, result: dto.result ?? null }
      : { ok: false, error: { code: dto.error!.code, message: dto.error!.message } };
  }
}
