import { IsString, Matches } from 'class-validator';
import { COLLEAGUE_ID_PATTERN, MEDIATOR_NAME_PATTERN } from '@mediator/core';
import { PageQueryDto } from '@mediator/http';
import {
  ListColleaguesQueryDto,
  RegisterColleagueDto,
  UpdateColleagueDto,
} from '@mediator/colleagues';
import { UpdateMediatorDto } from '@mediator/mediators';

// The mediators' and colleagues' command payloads (CONTRACT §6): the REST body fields, plus
// `mediator` where the REST path names it and `id`. Same rules as REST. Each kind declares its
// own beside its operations (libs/kinds/<kind>/src/<kind>.operations.ts).

const NAME = { message: `mediator must match ${MEDIATOR_NAME_PATTERN.source}` };
const ID = { message: `must match ${COLLEAGUE_ID_PATTERN.source}` };

export class MediatorRefDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class ColleagueRefDto extends MediatorRefDto {
  @IsString() @Matches(COLLEAGUE_ID_PATTERN, ID) id: string;
}

export class UpdateMediatorCommandDto extends UpdateMediatorDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class RegisterColleagueCommandDto extends RegisterColleagueDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}

export class UpdateColleagueCommandDto extends UpdateColleagueDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
  @IsString() @Matches(COLLEAGUE_ID_PATTERN, ID) id: string;
}

export class ListMediatorsCommandDto extends PageQueryDto {}

export class ListColleaguesCommandDto extends ListColleaguesQueryDto {
  @IsString() @Matches(MEDIATOR_NAME_PATTERN, NAME) mediator: string;
}
