import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { COLLEAGUE_ID_PATTERN } from '@mediator/core';
import { REQUEST_ACK_WINDOW_MS } from '@mediator/realtime';
import { DurationField, OpaqueJson } from '@mediator/http';

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

  @DurationField({
    unit: 'ms',
    min: 1,
    max: REQUEST_ACK_WINDOW_MS,
    example: 5000,
    description:
      "how long to wait for the handler's reply (default 30 s, or the config's `timeout` if " +
      'shorter; never more than `timeout`: 400 beyond); 504 REQUEST_TIMEOUT after it',
  })
  timeout_ms?: number;
}

export class ReplyResponseDto {
  @ApiProperty({ description: "the handler's result (any JSON value)", example: { id: 7 } })
  reply: unknown;
}
