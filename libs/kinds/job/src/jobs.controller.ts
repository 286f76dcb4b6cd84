import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited } from '@mediator/audit';
import { CurrentPrincipal, Principal, RequireScopes } from '@mediator/auth';
import { ApiErrors, PageQueryDto, toPageRequest } from '@mediator/http';
import {
  JobPageDto,
  JobResponseDto,
  JobRunPageDto,
  JobRunResponseDto,
  ScheduleJobDto,
} from './job.dto';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/v1/mediators/:name/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Put(':job')
  @RequireScopes('mediators:write')
  @Audited('schedule_job')
  @ApiOperation({ summary: 'Create or replace a cron job (fires from now on)' })
  @ApiCreatedResponse({ type: JobResponseDto, description: 'created' })
  @ApiOkResponse({ type: JobResponseDto, description: 'replaced' })
  @ApiErrors([400, 404], { 400: 'VALIDATION_FAILED, INVALID_SCHEDULE', 404: 'MEDIATOR_NOT_FOUND' })
  async schedule(
    @Param('name') name: string,
    @Param('job') job: string,
    @Body() dto: ScheduleJobDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponseDto> {
    const result = await this.jobs.schedule(name, job, dto);
    reply.status(result.created ? 201 : 200);
    return JobResponseDto.from(result.job);
  }

  @Post(':job/pause')
  @HttpCode(200)
  @RequireScopes('mediators:write')
  @Audited('pause_job')
  @ApiOperation({ summary: 'Pause a job: its ticks are not fired until it is resumed' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, JOB_NOT_FOUND' })
  async pause(@Param('name') name: string, @Param('job') job: string): Promise<JobResponseDto> {
    return JobResponseDto.from(await this.jobs.pause(name, job));
  }

  @Post(':job/resume')
  @HttpCode(200)
  @RequireScopes('mediators:write')
  @Audited('resume_job')
  @ApiOperation({ summary: 'Resume a job from now (ticks that fell while paused never fire)' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, JOB_NOT_FOUND' })
  async resume(@Param('name') name: string, @Param('job') job: string): Promise<JobResponseDto> {
    return JobResponseDto.from(await this.jobs.resume(name, job));
  }

  @Get()
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'The jobs of the mediator by name, with their next fire time' })
  @ApiOkResponse({ type: JobPageDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async list(@Param('name') name: string, @Query() query: PageQueryDto): Promise<JobPageDto> {
    const page = await this.jobs.list(name, toPageRequest(query));
    return { items: page.items.map(JobResponseDto.from), next_cursor: page.nextCursor };
  }

  @Get(':job/runs')
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'The fired ticks of a job, newest first' })
  @ApiOkResponse({ type: JobRunPageDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND, JOB_NOT_FOUND' })
  async runs(
    @Param('name') name: string,
    @Param('job') job: string,
    @Query() query: PageQueryDto,
  ): Promise<JobRunPageDto> {
    const page = await this.jobs.runs(name, job, toPageRequest(query));
    return { items: page.items.map(JobRunResponseDto.from), next_cursor: page.nextCursor };
  }

  @Get(':job')
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'A job' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, JOB_NOT_FOUND' })
  async get(@Param('name') name: string, @Param('job') job: string): Promise<JobResponseDto> {
    return JobResponseDto.from(await this.jobs.get(name, job));
  }
}
