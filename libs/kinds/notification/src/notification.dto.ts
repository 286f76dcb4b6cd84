import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  COLLEAGUE_ID_PATTERN,
  MEDIATOR_NAME_PATTERN,
  NOTIFICATION_CHANNELS,
  type Notification,
  type NotificationChannel,
  type NotificationStatus,
} from '@mediator/core';
import type { SendNotificationCommand } from './notifications.service';
import { OpaqueJson } from '@mediator/http';

export class SendNotificationDto {
  @ApiProperty({ example: 'welcome', description: 'what the notification is about' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  type: string;

  @ApiProperty({ description: 'any JSON value', example: { subject: 'Welcome!', body: 'Hi Ada' } })
  @OpaqueJson({ required: true })
  content: unknown;

  @ApiProperty({ example: 'user-42' })
  @IsString()
  @Matches(COLLEAGUE_ID_PATTERN, { message: `must match ${COLLEAGUE_ID_PATTERN.source}` })
  recipient_id: string;

  @ApiProperty({
    enum: NOTIFICATION_CHANNELS,
    example: 'email',
    description: 'delivered by the handler of `notification.<channel>`',
  })
  @IsIn(NOTIFICATION_CHANNELS)
  channel: NotificationChannel;

  @ApiPropertyOptional({
    example: 3,
    description: 'retries after the first attempt; default `retry_count`',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  retry_count?: number;
}

export class NotificationDto {
  @ApiProperty({ example: '01936f0e-8b3c-7cc1-9a2e-5f0d1c2b3a41' })
  id: string;

  @ApiProperty({ example: 'shop' })
  mediator: string;

  @ApiProperty({ example: 'welcome' })
  type: string;

  @ApiProperty({ enum: NOTIFICATION_CHANNELS, example: 'email' })
  channel: NotificationChannel;

  @ApiProperty({ example: 'user-42' })
  recipient_id: string;

  @ApiProperty({ description: 'any JSON value', example: { subject: 'Welcome!' } })
  content: unknown;

  @ApiProperty({ enum: ['pending', 'sent', 'delivered', 'failed'], example: 'pending' })
  status: NotificationStatus;

  @ApiProperty({ example: 3 })
  retry_count: number;

  @ApiProperty({ example: 0, description: 'attempts made so far' })
  attempts: number;

  @ApiProperty({ example: null, nullable: true, type: String })
  last_error: string | null;

  @ApiProperty({ example: '2026-11-26T07:40:00.000Z' })
  created_at: string;

  @ApiProperty({ example: '2026-11-26T07:40:00.000Z' })
  updated_at: string;

  static from(n: Notification): NotificationDto {
    return {
      id: n.id,
      mediator: n.mediator,
      type: n.type,
      channel: n.channel,
      recipient_id: n.recipientId,
      content: n.content,
      status: n.status,
      retry_count: n.retryCount,
      attempts: n.attempts,
      last_error: n.lastError,
      created_at: n.createdAt.toISOString(),
      updated_at: n.updatedAt.toISOString(),
    };
  }
}

// Kafka payloads (CONTRACT §6): the REST body plus the path parameters.
export class SendNotificationCommandDto extends SendNotificationDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN) mediator: string;
}

export class NotificationRefCommandDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN) mediator: string;
  @IsString() @MinLength(1) @MaxLength(64) id: string;
}

/** The service command of a send request (REST body or Kafka payload). */
export function toSendNotificationCommand(dto: SendNotificationDto): SendNotificationCommand {
  return {
    type: dto.type,
    content: dto.content,
    recipientId: dto.recipient_id,
    channel: dto.channel,
    retryCount: dto.retry_count,
  };
}
