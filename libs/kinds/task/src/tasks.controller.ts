import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '@mediator/audit';
import { CurrentPrincipal, Principal, RequireScopes } from '@mediator/auth';
import { ApiErrors, toPageRequest } from '@mediator/http';
import {
  ClaimTaskDto,
  CompleteTaskDto,
  FailTaskDto,
  SubmitTaskDto,
  TaskPageDto,
  TaskQueryDto,
  TaskResponseDto,
} from './task.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/v1/mediators/:name/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post()
  @HttpCode(201)
  @RequireScopes('messages:send')
  @Audited('submit_task')
  @ApiOperation({ summary: 'Submit a task to the priority queue' })
  @ApiCreatedResponse({ type: TaskResponseDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async submit(@Param('name') name: string, @Body() dto: SubmitTaskDto): Promise<TaskResponseDto> {
    return TaskResponseDto.from(await this.tasks.submit(name, dto));
  }

  @Post('claim')
  @HttpCode(200)
  @RequireScopes('messages:send')
  @Audited('claim_task')
  @ApiOperation({
    summary: 'Claim the next task (higher priority first, FIFO within one); 204 when none',
  })
  @ApiOkResponse({ type: TaskResponseDto })
  @ApiNoContentResponse({ description: 'no pending task of the asked types' })
  @ApiErrors([400, 403, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async claim(
    @Param('name') name: string,
    @Body() dto: ClaimTaskDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponseDto | undefined> {
    principal.requireColleague(name, dto.worker_id);
    const task = await this.tasks.claim(name, dto);
    if (!task) {
      reply.status(204);
      return undefined;
    }
    return TaskResponseDto.from(task);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @RequireScopes('messages:send')
  @Audited('complete_task')
  @ApiOperation({ summary: 'Complete a task the worker holds' })
  @ApiOkResponse({ type: TaskResponseDto })
  @ApiErrors([400, 403, 404, 409], {
    404: 'MEDIATOR_NOT_FOUND, TASK_NOT_FOUND',
    409: 'INVALID_STATE (not held by this worker, e.g. its claim expired)',
  })
  async complete(
    @Param('name') name: string,
    @Param('id') id: string,
    @Body() dto: CompleteTaskDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TaskResponseDto> {
    principal.requireColleague(name, dto.worker_id);
    return TaskResponseDto.from(await this.tasks.complete(name, id, dto.worker_id, dto.result));
  }

  @Post(':id/fail')
  @HttpCode(200)
  @RequireScopes('messages:send')
  @Audited('fail_task')
  @ApiOperation({ summary: 'Give a task up: retried while retries remain, else dead' })
  @ApiOkResponse({ type: TaskResponseDto })
  @ApiErrors([400, 403, 404, 409], {
    404: 'MEDIATOR_NOT_FOUND, TASK_NOT_FOUND',
    409: 'INVALID_STATE (not held by this worker)',
  })
  async fail(
    @Param('name') name: string,
    @Param('id') id: string,
    @Body() dto: FailTaskDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TaskResponseDto> {
    principal.requireColleague(name, dto.worker_id);
    return TaskResponseDto.from(await this.tasks.fail(name, id, dto.worker_id, dto.error));
  }

  @Get()
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'The tasks of the mediator in submission order, by status' })
  @ApiOkResponse({ type: TaskPageDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async list(@Param('name') name: string, @Query() query: TaskQueryDto): Promise<TaskPageDto> {
    const page = await this.tasks.list(name, query.status, toPageRequest(query));
    return { items: page.items.map(TaskResponseDto.from), next_cursor: page.nextCursor };
  }

  @Get(':id')
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'A task' })
  @ApiOkResponse({ type: TaskResponseDto })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, TASK_NOT_FOUND' })
  async get(@Param('name') name: string, @Param('id') id: string): Promise<TaskResponseDto> {
    return TaskResponseDto.from(await this.tasks.get(name, id));
  }
}
