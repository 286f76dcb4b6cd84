import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Audited } from '@mediator/audit';
import { CurrentPrincipal, Principal, RequireScopes } from '@mediator/auth';
import { ApiErrors, toPageRequest } from '@mediator/http';
import {
  EventDto,
  EventHistoryQueryDto,
  EventPageDto,
  PublishedEventDto,
  PublishEventDto,
} from './event.dto';
import { PubSubService } from './pubsub.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('api/v1/mediators/:name/events')
export class EventsController {
  constructor(private readonly pubsub: PubSubService) {}

  @Post()
  @HttpCode(202)
  @RequireScopes('messages:send')
  @Audited('publish_event')
  @ApiOperation({
    summary: 'Publish an event to every active subscriber of its type (stored before 202)',
    description:
      'Each active colleague whose `subscriptions` contain the type (or that has no ' +
      'subscriptions), the publisher excluded, gets it exactly once: as a `message` delivery of ' +
      'kind `event` whose id is the event id, kept in its inbox until acked.',
  })
  @ApiAcceptedResponse({ type: PublishedEventDto })
  @ApiErrors([400, 403, 404, 409], {
    404: 'MEDIATOR_NOT_FOUND, COLLEAGUE_NOT_FOUND (sender)',
    409: 'COLLEAGUE_INACTIVE',
  })
  async publish(
    @Param('name') name: string,
    @Body() dto: PublishEventDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PublishedEventDto> {
    principal.requireColleague(name, dto.sender_id);
    const published = await this.pubsub.publish(name, {
      senderId: dto.sender_id,
      type: dto.type,
      data: dto.data,
      id: dto.id,
    });
    return { ...EventDto.from(published), duplicate: published.duplicate };
  }

  @Get()
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'Published events, oldest first, optionally of one type' })
  @ApiOkResponse({ type: EventPageDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async history(
    @Param('name') name: string,
    @Query() query: EventHistoryQueryDto,
  ): Promise<EventPageDto> {
    const page = await this.pubsub.history(name, query.type, toPageRequest(query));
    return { items: page.items.map(EventDto.from), next_cursor: page.nextCursor };
  }
}
