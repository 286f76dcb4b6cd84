import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import {
  COLLEAGUE_ID_PATTERN,
  type Envelope,
  MEDIATOR_KINDS,
  type RecipientStatus,
} from '@mediator/core';
import { PageQueryDto } from '@mediator/http';
import { toEnvelopeWire } from '@mediator/realtime';

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
  @IsDefined()
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

  @ApiPropertyOptional({ type: Object, example: { trace_id: 'abc123' } })
  @IsOptional()
  @IsObject()
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
  @IsDefined()
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

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'acked'] })
  @IsOptional()
  @IsIn(['pending', 'delivered', 'acked'])
  status?: 'pending' | 'delivered' | 'acked';
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
  @ApiProperty({ type: Object, example: {} }) headers: Record<string, string>;
  @ApiProperty({ type: String, nullable: true, example: null }) correlation_id: string | null;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) created_at: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'acked'], example: 'pending' }) status: string;

  static from(e: Envelope): EnvelopeDto {
    return toEnvelopeWire(e);
  }
}

export class BroadcastEnvelopeDto extends EnvelopeDto {
  @ApiProperty({ example: 3, description: 'how many colleagues it was addressed to' })
  recipients: number;
}

export class RecipientStatusDto {
  @ApiProperty({ example: 'billing-1' }) recipient_id: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'acked'] }) status: string;
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
