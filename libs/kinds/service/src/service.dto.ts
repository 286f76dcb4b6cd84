import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import {
  MEDIATOR_NAME_PATTERN,
  SERVICE_STATUS_INPUTS,
  SERVICE_STATUSES,
  type ServiceRecord,
  type ServiceStatusInput,
} from '@mediator/core';
import { DurationField, Nullable, PageQueryDto } from '@mediator/http';

/** Service names in the path: the same rule as colleague ids. */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const RUNNING =
  "`running` (the original service's word) is `healthy`: accepted here, stored and answered as `healthy`";

export class RegisterServiceDto {
  @ApiProperty({ example: 'http', description: 'what kind of service it is' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  type: string;

  @ApiProperty({ enum: SERVICE_STATUS_INPUTS, example: 'healthy', description: RUNNING })
  @IsIn(SERVICE_STATUS_INPUTS)
  status: ServiceStatusInput;

  @ApiPropertyOptional({ example: 'http://billing:8080', nullable: true })
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(2048)
  endpoint?: string | null;

  @DurationField({
    unit: 'seconds',
    min: 1,
    max: 86_400,
    example: 30,
    description:
      'a service without a heartbeat for longer becomes unhealthy (default 30 s, kept on update)',
  })
  heartbeat_ttl?: number;
}

export class ListServicesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SERVICE_STATUS_INPUTS, example: 'unhealthy', description: RUNNING })
  @IsOptional()
  @IsIn(SERVICE_STATUS_INPUTS)
  status?: ServiceStatusInput;
}

export class ServiceResponseDto {
  @ApiProperty({ example: 'billing-api' }) name: string;
  @ApiProperty({ example: 'http' }) type: string;
  @ApiProperty({ enum: SERVICE_STATUSES, example: 'healthy' }) status: string;
  @ApiProperty({ type: String, nullable: true, example: 'http://billing:8080' })
  endpoint: string | null;
  @ApiProperty({ example: 30, description: 'seconds' }) heartbeat_ttl: number;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) last_heartbeat_at: string;
  @ApiProperty({ example: 1, description: 'incremented on every change' }) version: number;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) registered_at: string;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) updated_at: string;

  static from(s: ServiceRecord): ServiceResponseDto {
    return {
      name: s.name,
      type: s.type,
      status: s.status,
      endpoint: s.endpoint,
      heartbeat_ttl: s.heartbeatTtlMs / 1000,
      last_heartbeat_at: s.lastHeartbeatAt.toISOString(),
      version: s.version,
      registered_at: s.registeredAt.toISOString(),
      updated_at: s.updatedAt.toISOString(),
    };
  }
}

export class ServicePageDto {
  @ApiProperty({ type: [ServiceResponseDto] }) items: ServiceResponseDto[];
  @ApiProperty({ type: String, nullable: true, example: null }) next_cursor: string | null;
}

// Kafka payloads (CONTRACT §6): the REST body plus the path parameters.
const MEDIATOR = MEDIATOR_NAME_PATTERN;

export class RegisterServiceCommandDto extends RegisterServiceDto {
  @IsString() @Matches(MEDIATOR) mediator: string;
  @IsString() @Matches(SERVICE_NAME_PATTERN) service: string;
}

export class ServiceRefCommandDto {
  @IsString() @Matches(MEDIATOR) mediator: string;
  @IsString() @Matches(SERVICE_NAME_PATTERN) service: string;
}

export class ListServicesCommandDto extends ListServicesQueryDto {
  @IsString() @Matches(MEDIATOR) mediator: string;
}
