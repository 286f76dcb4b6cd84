import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { COLLEAGUE_ID_PATTERN, MEDIATOR_KINDS, MEDIATOR_NAME_PATTERN } from '@mediator/core';
import { OpaqueJson } from '@mediator/http';

export class WsSubscribeDto {
  @IsString()
  @Matches(new RegExp(`${MEDIATOR_NAME_PATTERN.source}|^\\*$`), {
    message: 'mediator must be a mediator name or *',
  })
  mediator: string;
}

export class WsSendDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN) mediator: string;
  @IsString() @Matches(COLLEAGUE_ID_PATTERN) recipient_id: string;
  @OpaqueJson({ required: true }) message: unknown;
  @IsOptional() @IsIn(MEDIATOR_KINDS) kind?: (typeof MEDIATOR_KINDS)[number];
  @IsOptional() @IsString() @MinLength(1) @MaxLength(128) type?: string;
}

export class WsBroadcastDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN) mediator: string;
  @OpaqueJson({ required: true }) message: unknown;
  @IsOptional() @IsIn(MEDIATOR_KINDS) kind?: (typeof MEDIATOR_KINDS)[number];
  @IsOptional() @IsString() @MinLength(1) @MaxLength(128) type?: string;
}

export class WsAuthenticateDto {
  @IsString() @MinLength(1) @MaxLength(8192) token: string;
}
