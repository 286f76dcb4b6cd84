import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { COLLEAGUE_ID_PATTERN, type StoredEvent } from '@mediator/core';
import { OpaqueJson, PageQueryDto } from '@mediator/http';

const ID_MESSAGE = { message: `must match ${COLLEAGUE_ID_PATTERN.source}` };

export class PublishEventDto {
  @ApiProperty({ example: 'orders-api' })
  @IsString()
  @Matches(COLLEAGUE_ID_PATTERN, ID_MESSAGE)
  sender_id: string;

  @ApiProperty({ example: 'order_created' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  type: string;

  @ApiProperty({ description: 'any JSON value', example: { order_id: 42 } })
  @OpaqueJson({ required: true })
  data: unknown;

  @ApiPropertyOptional({
    example: 'order-42-created',
    description:
      'the event id (default: a new UUIDv7). Publishing an id again is a redelivery: it is ' +
      'answered with the first event (`duplicate: true`) and reaches no subscriber twice',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, {
    message: 'must be 1–64 letters, digits, or . _ : -',
  })
  id?: string;
}

export class EventHistoryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'order_created', minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  type?: string;
}

export class EventDto {
  @ApiProperty({ example: '019ac1b2-7c3e-7a10-8f00-1234567890ab' }) id: string;
  @ApiProperty({ example: 'orders' }) mediator: string;
  @ApiProperty({ example: 'order_created' }) type: string;
  @ApiProperty({ example: 'orders-api' }) sender_id: string;
  @ApiProperty({ description: 'the event data (any JSON value)', example: { order_id: 42 } })
  data: unknown;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: {} })
  headers: Record<string, string>;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) published_at: string;
  @ApiProperty({ example: 2, description: 'the subscribers it was delivered to' })
  recipients: number;

  static from(e: StoredEvent): EventDto {
    return {
      id: e.id,
      mediator: e.mediator,
      type: e.type,
      sender_id: e.senderId,
      data: e.data,
      headers: e.headers,
      published_at: e.publishedAt.toISOString(),
      recipients: e.recipientIds.length,
    };
  }
}

export class PublishedEventDto extends EventDto {
  @ApiProperty({
    example: false,
    description: 'true when the id had been published before: nothing was delivered this time',
  })
  duplicate: boolean;
}

export class EventPageDto {
  @ApiProperty({ type: [EventDto] }) items: EventDto[];
  @ApiProperty({ type: String, nullable: true, example: null }) next_cursor: string | null;
}
