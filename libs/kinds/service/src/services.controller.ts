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
import { ApiErrors, toPageRequest } from '@mediator/http';
import {
  ListServicesQueryDto,
  RegisterServiceDto,
  ServicePageDto,
  ServiceResponseDto,
} from './service.dto';
import { ServiceRegistryService } from './service-registry.service';

@ApiTags('services')
@ApiBearerAuth()
@Controller('api/v1/mediators/:name/services')
export class ServicesController {
  constructor(private readonly registry: ServiceRegistryService) {}

  @Put(':service')
  @RequireScopes('mediators:write')
  @Audited('register_service')
  @ApiOperation({ summary: 'Register or update a service (counts as a heartbeat)' })
  @ApiCreatedResponse({ type: ServiceResponseDto, description: 'registered' })
  @ApiOkResponse({ type: ServiceResponseDto, description: 'updated' })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async register(
    @Param('name') name: string,
    @Param('service') service: string,
    @Body() dto: RegisterServiceDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServiceResponseDto> {
    const result = await this.registry.register(name, service, dto);
    reply.status(result.created ? 201 : 200);
    return ServiceResponseDto.from(result.service);
  }

  @Post(':service/heartbeat')
  @HttpCode(200)
  @RequireScopes('messages:send')
  @Audited('heartbeat')
  @ApiOperation({ summary: 'Heartbeat: proof of life; an unhealthy service is healthy again' })
  @ApiOkResponse({ type: ServiceResponseDto })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, SERVICE_NOT_FOUND' })
  async heartbeat(
    @Param('name') name: string,
    @Param('service') service: string,
  ): Promise<ServiceResponseDto> {
    return ServiceResponseDto.from(await this.registry.heartbeat(name, service));
  }

  @Get()
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'List the services of a mediator by name, optionally by status' })
  @ApiOkResponse({ type: ServicePageDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async list(
    @Param('name') name: string,
    @Query() query: ListServicesQueryDto,
  ): Promise<ServicePageDto> {
    const page = await this.registry.list(name, query.status, toPageRequest(query));
    return { items: page.items.map(ServiceResponseDto.from), next_cursor: page.nextCursor };
  }

  @Get(':service')
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'Get a service' })
  @ApiOkResponse({ type: ServiceResponseDto })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, SERVICE_NOT_FOUND' })
  async get(
    @Param('name') name: string,
    @Param('service') service: string,
  ): Promise<ServiceResponseDto> {
    return ServiceResponseDto.from(await this.registry.get(name, service));
  }
}
