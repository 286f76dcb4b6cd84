import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Audited } from '@mediator/audit';
import { CurrentPrincipal, type Principal, RequireScopes } from '@mediator/auth';
import { ApiErrors, PageQueryDto, toPageRequest } from '@mediator/http';
import {
  CreateMediatorDto,
  MediatorPageDto,
  MediatorResponseDto,
  UpdateMediatorDto,
} from './mediator.dto';
import { MediatorsService } from './mediators.service';

@ApiTags('mediators')
@ApiBearerAuth()
@Controller('api/v1/mediators')
export class MediatorsController {
  constructor(private readonly mediators: MediatorsService) {}

  @Post()
  @RequireScopes('mediators:write')
  @Audited('create_mediator')
  @ApiOperation({ summary: 'Create a mediator' })
  @ApiCreatedResponse({ type: MediatorResponseDto })
  @ApiErrors([400, 403, 409, 422], {
    403: 'MEDIATOR_FORBIDDEN (a mediator-bound token)',
    409: 'MEDIATOR_EXISTS',
    422: 'MAX_MEDIATORS_REACHED',
  })
  async create(
    @Body() dto: CreateMediatorDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MediatorResponseDto> {
    principal.requireUnbound();
    return MediatorResponseDto.from(await this.mediators.create(dto));
  }

  @Get()
  @RequireScopes('mediators:read')
  @ApiOperation({
    summary: 'List mediators, by name (a mediator-bound token sees only its own)',
  })
  @ApiOkResponse({ type: MediatorPageDto })
  @ApiErrors([400])
  async list(
    @Query() query: PageQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MediatorPageDto> {
    const page = await this.mediators.list(toPageRequest(query), principal.boundMediator);
    return { items: page.items.map(MediatorResponseDto.from), next_cursor: page.nextCursor };
  }

  @Get(':name')
  @RequireScopes('mediators:read')
  @ApiOperation({ summary: 'Get a mediator' })
  @ApiOkResponse({ type: MediatorResponseDto })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND' })
  async get(@Param('name') name: string): Promise<MediatorResponseDto> {
    return MediatorResponseDto.from(await this.mediators.get(name));
  }

  @Patch(':name')
  @RequireScopes('mediators:write')
  @Audited('update_mediator')
  @ApiOperation({ summary: 'Change a mediator’s description or colleague limit' })
  @ApiOkResponse({ type: MediatorResponseDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async update(
    @Param('name') name: string,
    @Body() dto: UpdateMediatorDto,
  ): Promise<MediatorResponseDto> {
    return MediatorResponseDto.from(await this.mediators.update(name, dto));
  }

  @Delete(':name')
  @HttpCode(204)
  @RequireScopes('mediators:write')
  @Audited('remove_mediator')
  @ApiOperation({ summary: 'Delete a mediator and unregister its colleagues' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND' })
  async remove(@Param('name') name: string): Promise<void> {
    await this.mediators.remove(name);
  }
}
