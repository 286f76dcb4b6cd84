import { Injectable } from '@nestjs/common';
import type { Principal, Scope } from '@mediator/auth';
import { ColleagueResponseDto, ColleaguesService, type ColleagueView } from '@mediator/colleagues';
import { toPageRequest } from '@mediator/http';
import { CreateMediatorDto, MediatorResponseDto, MediatorsService } from '@mediator/mediators';
import { EnvelopeDto, MessagingService, RecipientStatusDto, ReplyDto } from '@mediator/messaging';
import {
  AckMessageCommandDto,
  BroadcastMessageCommandDto,
  inboxColleague,
  ColleagueRefDto,
  ListColleaguesCommandDto,
  ListInboxCommandDto,
  ListMediatorsCommandDto,
  MediatorRefDto,
  MessageRefDto,
  RedeliverMessageCommandDto,
  RegisterColleagueCommandDto,
  ReplyCommandDto,
  SendMessageCommandDto,
  UpdateColleagueCommandDto,
  UpdateMediatorCommandDto,
} from './kafka-command.dto';
import { KafkaOperation } from './kafka-operation.decorator';

const colleague = (v: ColleagueView) => ColleagueResponseDto.from(v.colleague, v.online);

// The REST routes' rules (CONTRACT §2): a colleague-bound token acts and reads only as its colleague.
const AS_SENDER = {
  audited: true,
  scopes: ['messages:send'] as Scope[],
  colleague: (p: { sender_id: string }) => p.sender_id,
};
const AS_INBOX_OWNER = { scopes: ['messages:read'] as Scope[], colleague: inboxColleague };
/** Changing a colleague: a colleague-bound token changes only its own colleague. */
const COLLEAGUE_WRITE = {
  audited: true,
  scopes: ['colleagues:write'] as Scope[],
  colleague: (p: { id: string }) => p.id,
};

/** As REST: a colleague-bound token reads the messages it sent or received, no others. */
function requireParty(
  principal: Principal,
  mediator: string,
  senderId: string,
  recipients: { recipientId: string }[],
): void {
  const self = principal.colleague;
  if (!self || principal.isAdmin) return;
  if (senderId !== self && !recipients.some((r) => r.recipientId === self))
    principal.requireColleague(mediator, senderId);
}

const MEDIATORS_READ = { audited: false, scopes: ['mediators:read'] as Scope[] };
const MEDIATORS_WRITE = { audited: true, scopes: ['mediators:write'] as Scope[] };

/** The mediators' operations: the REST routes of CONTRACT §3 over Kafka. */
@Injectable()
export class MediatorOperations {
  constructor(private readonly mediators: MediatorsService) {}

  @KafkaOperation('create_mediator', CreateMediatorDto, { ...MEDIATORS_WRITE, unbound: true })
  async create(p: CreateMediatorDto) {
    return MediatorResponseDto.from(await this.mediators.create(p));
  }

  @KafkaOperation('get_mediator', MediatorRefDto, MEDIATORS_READ)
  async get(p: MediatorRefDto) {
    return MediatorResponseDto.from(await this.mediators.get(p.mediator));
  }

  @KafkaOperation('list_mediators', ListMediatorsCommandDto, MEDIATORS_READ)
  async list(p: ListMediatorsCommandDto, principal: Principal) {
    const page = await this.mediators.list(toPageRequest(p), principal.boundMediator);
    return { items: page.items.map(MediatorResponseDto.from), next_cursor: page.nextCursor };
  }

  @KafkaOperation('update_mediator', UpdateMediatorCommandDto, MEDIATORS_WRITE)
  async update({ mediator, ...p }: UpdateMediatorCommandDto) {
    return MediatorResponseDto.from(await this.mediators.update(mediator, p));
  }

  @KafkaOperation('remove_mediator', MediatorRefDto, MEDIATORS_WRITE)
  async remove(p: MediatorRefDto) {
    await this.mediators.remove(p.mediator);
    return null;
  }
}

/** The colleagues' operations. */
@Injectable()
export class ColleagueOperations {
  constructor(private readonly colleagues: ColleaguesService) {}

  @KafkaOperation('register_colleague', RegisterColleagueCommandDto, COLLEAGUE_WRITE)
  async register({ mediator, ...p }: RegisterColleagueCommandDto) {
    return colleague(await this.colleagues.register(mediator, p));
  }

  @KafkaOperation('get_colleague', ColleagueRefDto, MEDIATORS_READ)
  async get(p: ColleagueRefDto) {
    return colleague(await this.colleagues.get(p.mediator, p.id));
  }

  @KafkaOperation('list_colleagues', ListColleaguesCommandDto, MEDIATORS_READ)
  async list(p: ListColleaguesCommandDto) {
    const page = await this.colleagues.list(p.mediator, toPageRequest(p), p.type);
    return { items: page.items.map(colleague), next_cursor: page.nextCursor };
  }

  @KafkaOperation('update_colleague', UpdateColleagueCommandDto, COLLEAGUE_WRITE)
  async update({ mediator, id, ...p }: UpdateColleagueCommandDto) {
    return colleague(await this.colleagues.update(mediator, id, p));
  }

  @KafkaOperation('unregister_colleague', ColleagueRefDto, COLLEAGUE_WRITE)
  async unregister(p: ColleagueRefDto) {
    await this.colleagues.unregister(p.mediator, p.id);
    return null;
  }
}

/** The message kind's operations, and a handler's reply to a request (command, query, …). */
@Injectable()
export class MessageOperations {
  constructor(private readonly messaging: MessagingService) {}

  @KafkaOperation('send_message', SendMessageCommandDto, AS_SENDER)
  async send(p: SendMessageCommandDto) {
    return EnvelopeDto.from(
      await this.messaging.send(p.mediator, {
        senderId: p.sender_id,
        recipientId: p.recipient_id,
        message: p.message,
        kind: p.kind,
        type: p.type,
        headers: p.headers,
        idempotencyKey: p.idempotency_key,
      }),
    );
  }

  @KafkaOperation('broadcast_message', BroadcastMessageCommandDto, AS_SENDER)
  async broadcast(p: BroadcastMessageCommandDto) {
    const envelope = await this.messaging.broadcast(p.mediator, {
      senderId: p.sender_id,
      message: p.message,
      kind: p.kind,
      type: p.type,
    });
    return { ...EnvelopeDto.from(envelope), recipients: envelope.recipients };
  }

  @KafkaOperation('get_message', MessageRefDto, { audited: false, scopes: ['messages:read'] })
  async get(p: MessageRefDto, principal: Principal) {
    const { envelope, recipients } = await this.messaging.get(p.mediator, p.message_id);
    requireParty(principal, p.mediator, envelope.senderId, recipients);
    return { ...EnvelopeDto.from(envelope), recipients: recipients.map(RecipientStatusDto.from) };
  }

  @KafkaOperation('list_inbox', ListInboxCommandDto, { audited: false, ...AS_INBOX_OWNER })
  async inbox(p: ListInboxCommandDto) {
    const page = await this.messaging.inbox(
      p.mediator,
      inboxColleague(p),
      p.status,
      toPageRequest(p),
    );
    return { items: page.items.map(EnvelopeDto.from), next_cursor: page.nextCursor };
  }

  @KafkaOperation('ack_message', AckMessageCommandDto, { audited: true, ...AS_INBOX_OWNER })
  async ack(p: AckMessageCommandDto) {
    await this.messaging.ack(p.mediator, inboxColleague(p), p.message_id);
    return null;
  }

  @KafkaOperation('redeliver_message', RedeliverMessageCommandDto, {
    audited: true,
    scopes: ['messages:send'],
  })
  async redeliver(p: RedeliverMessageCommandDto, principal: Principal) {
    // As REST: a colleague-bound token redelivers only its own deliveries.
    const recipientId = p.recipient_id ?? principal.boundColleague;
    if (recipientId !== undefined) principal.requireColleague(p.mediator, recipientId);
    const { envelope, recipients } = await this.messaging.redeliverMessage(
      p.mediator,
      p.message_id,
      recipientId,
    );
    return { ...EnvelopeDto.from(envelope), recipients: recipients.map(RecipientStatusDto.from) };
  }

  @KafkaOperation('reply_message', ReplyCommandDto, { audited: true, scopes: ['messages:send'] })
  async reply(p: ReplyCommandDto, principal: Principal) {
    // As REST: a colleague-bound token answers only the requests addressed to its colleague.
    await this.messaging.reply(p.mediator, p.message_id, ReplyDto.toAnswer(p), (handlerId) =>
      principal.requireColleague(p.mediator, handlerId),
    );
    return null;
  }
}
