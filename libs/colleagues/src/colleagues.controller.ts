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
import { ApiErrors, toPageRequest } from '@mediator/http';
import {
  ColleaguePageDto,
  ColleagueResponseDto,
  ListColleaguesQueryDto,
  RegisterColleagueDto,
  UpdateColleagueDto,
} from './colleague.dto';
import { ColleaguesService, type ColleagueView } from './colleagues.service';

const toDto = (v: ColleagueView) => ColleagueResponseDto.from(v.colleague, v.online);

@ApiTags('colleagues')
@ApiBearerAuth()
@Controller('api/v1/mediators/:name/colleagues')
export class ColleaguesController {
  constructor(private readonly colleagues: ColleaguesService) {}

  @Post()
  @RequireScopes('colleagues:write')
  @Audited('register_colleague')
  @ApiOperation({ summary: 'Register a colleague with the mediator' })
  @ApiCreatedResponse({ type: ColleagueResponseDto })
  @ApiErrors([400, 404, 409, 422], {
    403: 'COLLEAGUE_FORBIDDEN (a colleague-bound token registers only itself)',
    404: 'MEDIATOR_NOT_FOUND',
    409: 'COLLEAGUE_EXISTS',
    422: 'MAX_COLLEAGUES_REACHED',
  })
  async register(
    @Param('name') name: string,
    @Body() dto: RegisterColleagueDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ColleagueResponseDto> {
    principal.requireColleague(name, dto.id);
    return toDto(await this.colleagues.register(name, dto));
  }

  @Get()
  @RequireScopes('mediators:read')
  @ApiOperation({ summary: 'List the colleagues of a mediator, by id' })
  @ApiOkResponse({ type: ColleaguePageDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async list(
    @Param('name') name: string,
    @Query() query: ListColleaguesQueryDto,
  ): Promise<ColleaguePageDto> {
    const page = await this.colleagues.list(name, toPageRequest(query), query.type);
    return { items: page.items.map(toDto), next_cursor: page.nextCursor };
  }

  @Get(':id')
  @RequireScopes('mediators:read')
  @ApiOperation({ summary: 'Get a colleague' })
  @ApiOkResponse({ type: ColleagueResponseDto })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, COLLEAGUE_NOT_FOUND' })
  async get(@Param('name') name: string, @Param('id') id: string): Promise<ColleagueResponseDto> {
    return toDto(await this.colleagues.get(name, id));
  }

  @Patch(':id')
  @RequireScopes('colleagues:write')
  @Audited('update_colleague')
  @ApiOperation({ summary: 'Change a colleague (name, active, handles, subscriptions, metadata)' })
  @ApiOkResponse({ type: ColleagueResponseDto })
  @ApiErrors([400, 404], {
    403: 'COLLEAGUE_FORBIDDEN (a colleague-bound token changes only itself)',
    404: 'MEDIATOR_NOT_FOUND, COLLEAGUE_NOT_FOUND',
  })
  async update(
    @Param('name') name: string,
    @Param('id') id: string,
    @Body() dto: UpdateColleagueDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ColleagueResponseDto> {
    principal.requireColleague(name, id);
    return toDto(await this.colleagues.update(name, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('colleagues:write')
  @Audited('unregister_colleague')
  @ApiOperation({ summary: 'Unregister a colleague' })
  @ApiNoContentResponse({ description: 'unregistered' })
  @ApiErrors([404], {
    403: 'COLLEAGUE_FORBIDDEN (a colleague-bound token unregisters only itself)',
    404: 'MEDIATOR_NOT_FOUND, COLLEAGUE_NOT_FOUND',
  })
  async unregister(
    @Param('name') name: string,
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    principal.requireColleague(name, id);
    await this.colleagues.unregister(name, id);
  }
}
