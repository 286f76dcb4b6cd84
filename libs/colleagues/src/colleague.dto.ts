import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { COLLEAGUE_ID_PATTERN, type ColleagueInfo, MEDIATOR_KINDS } from '@mediator/core';
import { OpaqueJson, PageQueryDto } from '@mediator/http';

export class RegisterColleagueDto {
  @ApiProperty({ example: 'billing-1', pattern: COLLEAGUE_ID_PATTERN.source })
  @IsString()
  @Matches(COLLEAGUE_ID_PATTERN, { message: `id must match ${COLLEAGUE_ID_PATTERN.source}` })
  id: string;

  @ApiProperty({ example: 'Billing worker' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name: string;

  @ApiProperty({ enum: MEDIATOR_KINDS, example: 'command' })
  @IsIn(MEDIATOR_KINDS)
  type: (typeof MEDIATOR_KINDS)[number];

  @ApiPropertyOptional({ type: [String], example: ['charge_card'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  handles?: string[];

  @ApiPropertyOptional({ type: [String], example: ['order_created'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  subscriptions?: string[];

  @ApiPropertyOptional({ type: Object, example: { region: 'eu' } })
  @IsOptional()
  @IsObject()
  @OpaqueJson({ nullable: false })
  metadata?: Record<string, unknown>;
}

export class UpdateColleagueDto {
  @ApiPropertyOptional({ example: 'Billing worker 1' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  handles?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  subscriptions?: string[];

  @ApiPropertyOptional({ type: Object })
  @IsOptional()
  @IsObject()
  @OpaqueJson({ nullable: false })
  metadata?: Record<string, unknown>;
}

export class ListColleaguesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MEDIATOR_KINDS })
  @IsOptional()
  @IsIn(MEDIATOR_KINDS)
  type?: string;
}

export class ColleagueResponseDto {
  @ApiProperty({ example: 'billing-1' }) id: string;
  @ApiProperty({ example: 'Billing worker' }) name: string;
  @ApiProperty({ enum: MEDIATOR_KINDS, example: 'command' }) type: string;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ type: [String], example: ['charge_card'] }) handles: string[];
  @ApiProperty({ type: [String], example: [] }) subscriptions: string[];
  @ApiProperty({ type: Object, example: { region: 'eu' } }) metadata: Record<string, unknown>;
  @ApiProperty({ example: false, description: 'a Socket.IO connection bound to it is open' })
  online: boolean;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) registered_at: string;

  static from(c: ColleagueInfo, online: boolean): ColleagueResponseDto {
    return {
      id: c.id,
      name: c.name,
      type: c.type,
      active: c.active,
      handles: c.handles,
      subscriptions: c.subscriptions,
      metadata: c.metadata,
      online,
      registered_at: c.registeredAt.toISOString(),
    };
  }
}

export class ColleaguePageDto {
  @ApiProperty({ type: [ColleagueResponseDto] }) items: ColleagueResponseDto[];
  @ApiProperty({ type: String, nullable: true, example: null }) next_cursor: string | null;
}
