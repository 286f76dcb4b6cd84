import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
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
  type Lease,
  MEDIATOR_NAME_PATTERN,
  type ResourcePool,
} from '@mediator/core';
import { DurationField, PageQueryDto } from '@mediator/http';

/** Resource names in the path. */
export const RESOURCE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export class DefineResourceDto {
  @ApiProperty({ example: 'gpu' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  type: string;

  @ApiProperty({
    type: 'integer',
    example: 4,
    description: 'units that leases can take at the same time',
  })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  capacity: number;

  @ApiPropertyOptional({
    type: 'integer',
    example: 0,
    description:
      'units in use outside leases (a reservation: open connections, spent quota); leases take ' +
      'at most capacity − used. Left out: 0 for a new pool, unchanged on a resize. Answered as ' +
      "`reserved` (the answer's `used` counts the reservation and the leases)",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  used?: number;
}

export class AcquireLeaseDto {
  @ApiProperty({ example: 'worker-1', description: 'the colleague that holds the lease' })
  @IsString()
  @Matches(COLLEAGUE_ID_PATTERN, { message: `holder_id must match ${COLLEAGUE_ID_PATTERN.source}` })
  holder_id: string;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  amount: number;

  @DurationField({
    unit: 'seconds',
    min: 1,
    max: 86_400 * 30,
    required: true,
    example: 60,
    description: 'how long until the lease expires and is released',
  })
  ttl: number;
}

export class LeaseResponseDto {
  @ApiProperty({ example: '01937c8e-8f5e-7c3a-9d1e-2b4a6c8e0f12' }) id: string;
  @ApiProperty({ example: 'gpu-pool' }) resource: string;
  @ApiProperty({ example: 'worker-1' }) holder_id: string;
  @ApiProperty({ example: 1 }) amount: number;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) acquired_at: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-26T08:01:00.000Z' })
  expires_at: string | null;

  static from(l: Lease): LeaseResponseDto {
    return {
      id: l.id,
      resource: l.resource,
      holder_id: l.holderId,
      amount: l.amount,
      acquired_at: l.acquiredAt.toISOString(),
      expires_at: l.expiresAt?.toISOString() ?? null,
    };
  }
}

export class ResourceResponseDto {
  @ApiProperty({ example: 'gpu-pool' }) name: string;
  @ApiProperty({ example: 'gpu' }) type: string;
  @ApiProperty({ example: 4 }) capacity: number;
  @ApiProperty({
    example: 1,
    description: 'units in use: reserved + leased; never above capacity',
  })
  used: number;
  @ApiProperty({ example: 0, description: 'units in use outside leases (`used` on define)' })
  reserved: number;
  @ApiProperty({ example: 1, description: 'sum of the live leases' })
  leased: number;
  @ApiProperty({ type: [LeaseResponseDto] }) leases: LeaseResponseDto[];
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-11-26T08:00:00.000Z' }) updated_at: string;

  static from(p: ResourcePool, leases: Lease[]): ResourceResponseDto {
    return {
      name: p.name,
      type: p.type,
      capacity: p.capacity,
      used: p.reserved + p.used,
      reserved: p.reserved,
      leased: p.used,
      leases: leases.map(LeaseResponseDto.from),
      created_at: p.createdAt.toISOString(),
      updated_at: p.updatedAt.toISOString(),
    };
  }
}

export class ResourcePageDto {
  @ApiProperty({ type: [ResourceResponseDto] }) items: ResourceResponseDto[];
  @ApiProperty({ type: String, nullable: true, example: null }) next_cursor: string | null;
}

// Kafka payloads (CONTRACT §6): the REST body plus the path parameters.
export class AcquireLeaseCommandDto extends AcquireLeaseDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN) mediator: string;
  @IsString() @Matches(RESOURCE_NAME_PATTERN) resource: string;
}

export class ListResourcesCommandDto extends PageQueryDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN) mediator: string;
}

export class ReleaseLeaseCommandDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN) mediator: string;
  @IsString() @Matches(RESOURCE_NAME_PATTERN) resource: string;
  @IsString() @MinLength(1) @MaxLength(64) lease_id: string;
}
