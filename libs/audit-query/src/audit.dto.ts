import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '@mediator/http';
import type { AuditEntry } from '@mediator/persistence';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'orders', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  mediator?: string;
  @ApiPropertyOptional({ example: 'ops-admin', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  actor?: string;
  @ApiPropertyOptional({ example: 'create_mediator', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;
  @ApiPropertyOptional({ example: '2026-11-26T00:00:00Z', format: 'date-time' })
  @IsOptional()
  @IsDateString()
  since?: string;
  @ApiPropertyOptional({ example: '2026-11-27T00:00:00Z', format: 'date-time' })
  @IsOptional()
  @IsDateString()
  until?: string;
}

export class AuditEntryDto {
  @ApiProperty({ example: '019abc00-0000-7000-8000-000000000000' }) id: string;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) at: string;
  @ApiProperty({ example: 'ops-admin' }) actor: string;
  @ApiProperty({ enum: ['http', 'ws', 'kafka'] }) transport: string;
  @ApiProperty({ example: 'create_mediator' }) action: string;
  @ApiProperty({ type: String, nullable: true, example: 'orders' }) mediator: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'orders' }) target: string | null;
  @ApiProperty({ enum: ['ok', 'denied', 'error'] }) outcome: string;
  @ApiProperty({ type: String, nullable: true }) request_id: string | null;
  @ApiProperty({ type: Object, example: {} }) details: Record<string, unknown>;

  static from(e: AuditEntry): AuditEntryDto {
    return {
      id: e.id,
      at: e.at.toISOString(),
      actor: e.actor,
      transport: e.transport,
      action: e.action,
      mediator: e.mediator,
      target: e.target,
      outcome: e.outcome,
      request_id: e.requestId,
      details: e.details,
    };
  }
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true, example: null }) next_cursor: string | null;
}
