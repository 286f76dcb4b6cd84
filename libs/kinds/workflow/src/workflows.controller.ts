import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Audited } from '@mediator/audit';
import { CurrentPrincipal, type Principal, RequireScopes } from '@mediator/auth';
import { ApiErrors, toPageRequest } from '@mediator/http';
import {
  StartWorkflowDto,
  WorkflowDto,
  WorkflowPageDto,
  WorkflowQueryDto,
  toStartWorkflowCommand,
} from './workflow.dto';
import { WorkflowsService } from './workflows.service';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('api/v1/mediators/:name/workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post()
  @HttpCode(202)
  @RequireScopes('messages:send')
  @Audited('start_workflow')
  @ApiOperation({
    summary:
      'Start a workflow: stored (202), then its steps run in order by the handlers of their types',
  })
  @ApiAcceptedResponse({ type: WorkflowDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async start(@Param('name') name: string, @Body() dto: StartWorkflowDto): Promise<WorkflowDto> {
    const workflow = await this.workflows.start(name, toStartWorkflowCommand(dto));
    return WorkflowDto.from(workflow);
  }

  @Get()
  @RequireScopes('messages:read')
  @ApiOperation({
    summary: 'The workflows of the mediator, newest first, optionally by status, with their steps',
  })
  @ApiOkResponse({ type: WorkflowPageDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async list(
    @Param('name') name: string,
    @Query() query: WorkflowQueryDto,
  ): Promise<WorkflowPageDto> {
    const page = await this.workflows.list(name, query.status, toPageRequest(query));
    return { items: page.items.map(WorkflowDto.from), next_cursor: page.nextCursor };
  }

  @Get(':id')
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'A workflow with its status, current step and step results' })
  @ApiOkResponse({ type: WorkflowDto })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, WORKFLOW_NOT_FOUND' })
  async get(@Param('name') name: string, @Param('id') id: string): Promise<WorkflowDto> {
    return WorkflowDto.from(await this.workflows.get(name, id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireScopes('messages:send')
  @Audited('cancel_workflow')
  @ApiOperation({
    summary: 'Cancel a workflow before its next step',
    description:
      'A workflow belongs to its mediator, not to one colleague: a colleague-bound token may ' +
      'start workflows but not cancel them (403 COLLEAGUE_FORBIDDEN).',
  })
  @ApiOkResponse({ type: WorkflowDto })
  @ApiErrors([404, 409], {
    403: 'COLLEAGUE_FORBIDDEN (a colleague-bound token)',
    404: 'MEDIATOR_NOT_FOUND, WORKFLOW_NOT_FOUND',
    409: 'INVALID_STATE (already finished)',
  })
  async cancel(
    @Param('name') name: string,
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WorkflowDto> {
    principal.requireNoColleague(name);
    return WorkflowDto.from(await this.workflows.cancel(name, id));
  }
}
