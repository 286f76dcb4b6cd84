import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Audited } from '@mediator/audit';
import { CurrentPrincipal, Principal, RequireScopes } from '@mediator/auth';
import { ApiErrors, toPageRequest } from '@mediator/http';
import {
  BroadcastEnvelopeDto,
  BroadcastMessageDto,
  EnvelopeDto,
  EnvelopePageDto,
  InboxQueryDto,
  MessageCountsDto,
  MessageStatusDto,
  RecipientStatusDto,
  RedeliverMessageDto,
  ReplyDto,
  SendMessageDto,
} from './message.dto';
import { MessagingService } from './messaging.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('api/v1/mediators/:name')
export class MessagesController {
  constructor(private readonly messaging: MessagingService) {}

  @Post('messages')
  @HttpCode(202)
  @RequireScopes('messages:send')
  @Audited('send_message')
  @ApiOperation({
    summary: 'Send a message to one colleague (stored before 202, pushed at once if online)',
  })
  @ApiAcceptedResponse({ type: EnvelopeDto })
  @ApiErrors([400, 404, 409], {
    404: 'MEDIATOR_NOT_FOUND, COLLEAGUE_NOT_FOUND (sender or recipient)',
    409: 'COLLEAGUE_INACTIVE',
  })
  async send(
    @Param('name') name: string,
    @Body() dto: SendMessageDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EnvelopeDto> {
    principal.requireColleague(name, dto.sender_id);
    const envelope = await this.messaging.send(name, {
      senderId: dto.sender_id,
      recipientId: dto.recipient_id,
      message: dto.message,
      kind: dto.kind,
      type: dto.type,
      headers: dto.headers,
      idempotencyKey: dto.idempotency_key,
    });
    return EnvelopeDto.from(envelope);
  }

  @Post('broadcast')
  @HttpCode(202)
  @RequireScopes('messages:send')
  @Audited('broadcast_message')
  @ApiOperation({ summary: 'Send a message to every active colleague except the sender' })
  @ApiAcceptedResponse({ type: BroadcastEnvelopeDto })
  @ApiErrors([400, 404, 409], {
    404: 'MEDIATOR_NOT_FOUND, COLLEAGUE_NOT_FOUND (sender)',
    409: 'COLLEAGUE_INACTIVE',
  })
  async broadcast(
    @Param('name') name: string,
    @Body() dto: BroadcastMessageDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BroadcastEnvelopeDto> {
    principal.requireColleague(name, dto.sender_id);
    const envelope = await this.messaging.broadcast(name, {
      senderId: dto.sender_id,
      message: dto.message,
      kind: dto.kind,
      type: dto.type,
    });
    return { ...EnvelopeDto.from(envelope), recipients: envelope.recipients };
  }

  @Get('colleagues/:id/messages')
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'A colleague’s inbox, oldest first, with its status per message' })
  @ApiOkResponse({ type: EnvelopePageDto })
  @ApiErrors([400, 404], { 404: 'MEDIATOR_NOT_FOUND, COLLEAGUE_NOT_FOUND' })
  async inbox(
    @Param('name') name: string,
    @Param('id') id: string,
    @Query() query: InboxQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EnvelopePageDto> {
    principal.requireColleague(name, id);
    const page = await this.messaging.inbox(name, id, query.status, toPageRequest(query));
    return { items: page.items.map(EnvelopeDto.from), next_cursor: page.nextCursor };
  }

  @Get('message-counts')
  @RequireScopes('messages:read')
  @ApiOperation({
    summary: 'How many messages are pending, delivered, acked and dead, over every inbox',
    description:
      "One count per recipient's copy (a broadcast to three counts three), inboxes of colleagues " +
      'deleted since included. It spans every colleague, so a colleague-bound token may not ask.',
  })
  @ApiOkResponse({ type: MessageCountsDto })
  @ApiErrors([403, 404], {
    403: 'COLLEAGUE_FORBIDDEN: the token is bound to a colleague',
    404: 'MEDIATOR_NOT_FOUND',
  })
  async counts(
    @Param('name') name: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MessageCountsDto> {
    principal.requireNoColleague(name);
    return this.messaging.counts(name);
  }

  @Get('messages/:message_id')
  @RequireScopes('messages:read')
  @ApiOperation({ summary: 'A message with its status per recipient' })
  @ApiOkResponse({ type: MessageStatusDto })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, MESSAGE_NOT_FOUND' })
  async get(
    @Param('name') name: string,
    @Param('message_id') messageId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MessageStatusDto> {
    const { envelope, recipients } = await this.messaging.get(name, messageId);
    if (
      principal.colleague &&
      !principal.isAdmin &&
      envelope.senderId !== principal.colleague &&
      !recipients.some((r) => r.recipientId === principal.colleague)
    ) {
      principal.requireColleague(name, envelope.senderId);
    }
    return { ...EnvelopeDto.from(envelope), recipients: recipients.map(RecipientStatusDto.from) };
  }

  @Post('colleagues/:id/messages/:message_id/ack')
  @HttpCode(204)
  @RequireScopes('messages:read')
  @Audited('ack_message')
  @ApiOperation({ summary: 'Acknowledge a message in a colleague’s inbox' })
  @ApiNoContentResponse({ description: 'acknowledged' })
  @ApiErrors([404], { 404: 'MEDIATOR_NOT_FOUND, COLLEAGUE_NOT_FOUND, MESSAGE_NOT_FOUND' })
  async ack(
    @Param('name') name: string,
    @Param('id') id: string,
    @Param('message_id') messageId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    principal.requireColleague(name, id);
    await this.messaging.ack(name, id, messageId);
  }

  @Post('messages/:message_id/redeliver')
  @HttpCode(200)
  @RequireScopes('messages:send')
  @Audited('redeliver_message')
  @ApiOperation({
    summary: 'Deliver a dead (or unacknowledged) message again',
    description:
      'Puts the delivery of `recipient_id` (default: of every recipient that has not acked) back ' +
      'to `pending` with its retries renewed, and pushes it at once to recipients that are ' +
      'online (the others get it when they connect). A colleague-bound token redelivers only ' +
      'its own deliveries.',
  })
  @ApiOkResponse({ type: MessageStatusDto, description: 'the message with its new statuses' })
  @ApiErrors([400, 403, 404, 409], {
    403: 'the token is bound to another colleague than recipient_id',
    404: 'MEDIATOR_NOT_FOUND, MESSAGE_NOT_FOUND (also: recipient_id is not a recipient)',
    409: 'INVALID_STATE: every delivery asked for is acknowledged',
  })
  async redeliver(
    @Param('name') name: string,
    @Param('message_id') messageId: string,
    @Body() dto: RedeliverMessageDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MessageStatusDto> {
    // A colleague-bound token may only ask for its own delivery again.
    const recipientId = dto?.recipient_id ?? principal.boundColleague;
    // The mediator binding the auth guard has checked already.
    if (recipientId !== undefined) principal.requireColleague(name, recipientId);
    const { envelope, recipients } = await this.messaging.redeliverMessage(
      name,
      messageId,
      recipientId,
    );
    return { ...EnvelopeDto.from(envelope), recipients: recipients.map(RecipientStatusDto.from) };
  }

  @Post('messages/:message_id/reply')
  @HttpCode(204)
  @RequireScopes('messages:send')
  @Audited('reply_message')
  @ApiOperation({
    summary: 'Answer a request (command, query, workflow step, …) as its handler',
    description:
      'For handlers that are not connected over Socket.IO (e.g. `metadata.delivery: "poll"`, reading ' +
      'their inbox): the same answer as the Socket.IO ack, `{ "ok": true, "result": … }` or ' +
      '`{ "ok": false, "error": { "code", "message" } }`. It reaches the waiting requester on any ' +
      'instance, and acknowledges the delivery.',
  })
  @ApiNoContentResponse({ description: 'the answer reached the waiting requester' })
  @ApiErrors([400, 403, 404, 409], {
    403: "the token is bound to another colleague than the request's handler",
    404: 'MEDIATOR_NOT_FOUND, MESSAGE_NOT_FOUND',
    409: 'REQUEST_NOT_PENDING: not a request, already answered, or timed out',
  })
  async reply(
    @Param('name') name: string,
    @Param('message_id') messageId: string,
    @Body() dto: ReplyDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.messaging.reply(name, messageId, ReplyDto.toAnswer(dto), (handlerId) =>
      principal.requireColleague(name, handlerId),
    );
  }
}
