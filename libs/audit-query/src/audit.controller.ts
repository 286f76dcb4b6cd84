import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '@mediator/audit';
import { CurrentPrincipal, type Principal, RequireScopes } from '@mediator/auth';
import { ApiErrors, toPageRequest } from '@mediator/http';
import { AuditEntryDto, AuditPageDto, AuditQueryDto } from './audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequireScopes('audit:read')
  @ApiOperation({
    summary: 'Who did what: every state change and every denial, on every transport',
    description:
      'A mediator-bound token sees only the entries of its mediator; asking for another ' +
      'mediator is 403 MEDIATOR_FORBIDDEN.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors([400, 403], { 403: 'MEDIATOR_FORBIDDEN (another mediator than the token’s)' })
  async list(
    @Query() query: AuditQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AuditPageDto> {
    if (query.mediator !== undefined) principal.requireMediator(query.mediator);
    const page = await this.audit.query(
      {
        mediator: query.mediator ?? principal.boundMediator,
        actor: query.actor,
        action: query.action,
        since: query.since ? new Date(query.since) : undefined,
        until: query.until ? new Date(query.until) : undefined,
      },
      toPageRequest(query),
    );
    return { items: page.items.map(AuditEntryDto.from), next_cursor: page.nextCursor };
  }
}
