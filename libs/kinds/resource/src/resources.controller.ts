import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
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
import { ApiErrors, PageQueryDto, toPageRequest } from '@mediator/http';
import {
  AcquireLeaseDto,
  DefineResourceDto,
  LeaseResponseDto,
  ResourcePageDto,
  ResourceResponseDto,
} from './resource.dto';
import { ResourcesService } from './resources.service';

@ApiTags('resources')
@ApiBearerAuth()
@Controller('api/v1/mediators/:name/resources')
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  @Put(':resource')
  @RequireScopes('mediators:write')
  @Audited('define_resource')
  @ApiOperation({
    summary: 'Create or resize a resource pool (never below what is leased plus `used`)',
  })
  @ApiCreatedResponse({ type: ResourceResponseDto, description: 'created' })
  @ApiOkResponse({ type: ResourceResponseDto, description: 'resized' })
  @ApiErrors([400, 404, 409], { 404: 'MEDIATOR_NOT_FOUND', 409: 'INSUFFICIENT_CAPACITY' })
  async define(
    @Param('name') name: string,
    @Param('resource') resource: string,
    @Body() dto: DefineResourceDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResourceResponseDto> {
    const result = await this.resources.define(name, resource, dto);
    reply.status(result.created ? 201 : 200);
    return ResourceResponseDto.from(result.pool, result.leases);
  }

  @Get()
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'The resource pools of the mediator by name, each with its leases' })
  @ApiOkResponse({ type: ResourcePageDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async list(@Param('name') name: string, @Query() query: PageQueryDto): Promise<ResourcePageDto> {
    const page = await this.resources.list(name, toPageRequest(query));
    return {
      items: page.items.map(({ pool, leases }) => ResourceResponseDto.from(pool, leases)),
      next_cursor: page.nextCursor,
    };
  }

  @Get(':resource')
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'A resource pool: capacity, used and its live leases' })
  @ApiOkResponse({ type: ResourceResponseDto })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, RESOURCE_NOT_FOUND' })
  async get(
    @Param('name') name: string,
    @Param('resource') resource: string,
  ): Promise<ResourceResponseDto> {
    const { pool, leases } = await this.resources.get(name, resource);
    return ResourceResponseDto.from(pool, leases);
  }

  @Post(':resource/leases')
  @HttpCode(201)
  @RequireScopes('messages:send')
  @Audited('acquire_resource')
  @ApiOperation({ summary: 'Lease part of the pool; 409 when it does not fit' })
  @ApiCreatedResponse({ type: LeaseResponseDto })
  @ApiErrors([400, 404, 409], {
    404: 'MEDIATOR_NOT_FOUND, RESOURCE_NOT_FOUND',
    409: 'INSUFFICIENT_CAPACITY',
  })
  async acquire(
    @Param('name') name: string,
    @Param('resource') resource: string,
    @Body() dto: AcquireLeaseDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<LeaseResponseDto> {
    principal.requireColleague(name, dto.holder_id);
    return LeaseResponseDto.from(await this.resources.acquire(name, resource, dto));
  }

  @Delete(':resource/leases/:lease')
  @HttpCode(204)
  @RequireScopes('messages:send')
  @Audited('release_resource')
  @ApiOperation({ summary: 'Release a lease: its amount goes back to the pool' })
  @ApiNoContentResponse({ description: 'released' })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, LEASE_NOT_FOUND' })
  async release(
    @Param('name') name: string,
    @Param('resource') resource: string,
    @Param('lease') leaseId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    const lease = await this.resources.lease(name, resource, leaseId);
    principal.requireColleague(name, lease.holderId);
    await this.resources.release(name, resource, leaseId);
  }
}
