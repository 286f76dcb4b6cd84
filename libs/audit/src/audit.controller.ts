import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@mediator/auth/auth.decorators';
import { ApiErrors, toPageRequest } from '@mediator/http';
import { AuditEntryDto, AuditPageDto, AuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequireScopes('audit:read')
  @ApiOperation({
    summary: 'Who did what: every state change and every denial, on every transport',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors([400])
  async list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    const page = await this.audit.query(
      {
        mediator: query.mediator,
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
