import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '@mediator/audit';
import { CurrentPrincipal, Principal, RequireScopes } from '@mediator/auth';
import { ApiErrors } from '@mediator/http';
import { ReplyResponseDto, RequestDto } from './request.dto';
import { RequestsService } from './requests.service';

const HANDLER_DELIVERY =
  'The request is stored, then pushed to the chosen handler as a Socket.IO `message` delivery ' +
  '(kind `command`/`query`); the handler answers with the ack callback `{ "ok": true, "result" }` ' +
  'or `{ "ok": false, "error": { "code", "message" } }`, or over REST with ' +
  "`POST messages/{message_id}/reply`. A handler's error is answered with 422 and its code.";

const REQUEST_ERRORS = {
  404: 'MEDIATOR_NOT_FOUND, COLLEAGUE_NOT_FOUND (sender), NO_HANDLER (no online handler of the type)',
  409: 'COLLEAGUE_INACTIVE',
  422: "the handler's error code (HANDLER_FAILED when its answer was malformed)",
  504: 'REQUEST_TIMEOUT: no reply within timeout_ms',
} as const;

@ApiTags('requests')
@ApiBearerAuth()
@Controller('api/v1/mediators/:name')
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  @Post('commands')
  @HttpCode(200)
  @RequireScopes('messages:send')
  @Audited('execute_command')
  @ApiOperation({
    summary: 'Ask the one handler of a command type to do something; answers with its reply',
    description: `Exactly one handler is chosen, round-robin over the online handlers of the type. ${HANDLER_DELIVERY}`,
  })
  @ApiOkResponse({ type: ReplyResponseDto })
  @ApiErrors([400, 403, 404, 409, 422, 504], REQUEST_ERRORS)
  async execute(
    @Param('name') name: string,
    @Body() dto: RequestDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReplyResponseDto> {
    principal.requireColleague(name, dto.sender_id);
    return { reply: await this.requests.execute(name, toRequest(dto)) };
  }

  @Post('queries')
  @HttpCode(200)
  @RequireScopes('messages:send')
  @Audited('execute_query')
  @ApiOperation({
    summary: 'Ask the handler of a query type for data; the reply is cached',
    description:
      'As a command, and the reply is cached for `cache.ttl` under the type and the canonical ' +
      'JSON of `data` (key order ignored): a repeat within it is answered from the cache (shared ' +
      `by every instance when Redis is configured) without reaching a handler. ${HANDLER_DELIVERY}`,
  })
  @ApiOkResponse({ type: ReplyResponseDto })
  @ApiErrors([400, 403, 404, 409, 422, 504], REQUEST_ERRORS)
  async query(
    @Param('name') name: string,
    @Body() dto: RequestDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReplyResponseDto> {
    principal.requireColleague(name, dto.sender_id);
    return { reply: await this.requests.query(name, toRequest(dto)) };
  }
}

function toRequest(dto: RequestDto) {
  return { senderId: dto.sender_id, type: dto.type, data: dto.data, timeoutMs: dto.timeout_ms };
}
