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
import { COLLEAGUE_ID_PATTERN } from '@mediator/core';
import { REQUEST_ACK_WINDOW_MS } from '@mediator/realtime';
import { OpaqueJson } from '@mediator/http';

const ID_MESSAGE = { message: `must match ${COLLEAGUE_ID_PATTERN.source}` };

/** A command or a query: the body of `POST commands` and `POST queries`. */
export class RequestDto {
  @ApiProperty({ example: 'checkout' })
  @IsString()
  @Matches(COLLEAGUE_ID_PATTERN, ID_MESSAGE)
  sender_id: string;

  @ApiProperty({ example: 'create_user' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  type: string;

  @ApiProperty({ description: 'any JSON value', example: { email: 'ada@example.com' } })
  @OpaqueJson({ required: true })
  data: unknown;

  @ApiPropertyOptional({
    example: 5000,
    description: `how long to wait for the handler's reply (default: the config's \`timeout\`); 504 REQUEST_TIMEOUT after it`,
    minimum: 1,
    maximum: REQUEST_ACK_WINDOW_MS,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(REQUEST_ACK_WINDOW_MS)
  timeout_ms?: number;
}

export class ReplyResponseDto {
  @ApiProperty({ description: "the handler's result (any JSON value)", example: { id: 7 } })
  reply: unknown;
}
