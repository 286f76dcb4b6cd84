import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Audited } from '@mediator/audit';
import { CurrentPrincipal, Principal, RequireScopes } from '@mediator/auth';
import { ApiErrors } from '@mediator/http';
import {
  NotificationDto,
  SendNotificationDto,
  toSendNotificationCommand,
} from './notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/mediators/:name/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @HttpCode(202)
  @RequireScopes('messages:send')
  @Audited('send_notification')
  @ApiOperation({
    summary:
      'Send a notification: stored pending (202), then delivered by the handler of notification.<channel>',
  })
  @ApiAcceptedResponse({ type: NotificationDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND' })
  async send(
    @Param('name') name: string,
    @Body() dto: SendNotificationDto,
  ): Promise<NotificationDto> {
    const notification = await this.notifications.send(name, toSendNotificationCommand(dto));
    return NotificationDto.from(notification);
  }

  @Get(':id')
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'A notification and its delivery status' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiErrors([403, 404], { 404: 'MEDIATOR_NOT_FOUND, NOTIFICATION_NOT_FOUND' })
  async get(
    @Param('name') name: string,
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<NotificationDto> {
    const notification = await this.notifications.get(name, id);
    // A colleague-bound token reads only the notifications addressed to its colleague.
    principal.requireColleague(name, notification.recipientId);
    return NotificationDto.from(notification);
  }
}
