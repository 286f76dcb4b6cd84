import { Injectable } from '@nestjs/common';
import type { Principal, Scope } from '@mediator/auth';
import { ColleaguesService, type ColleagueView } from '@mediator/colleagues';
import { ColleagueResponseDto } from '@mediator/colleagues/colleague.dto';
import { toPageRequest } from '@mediator/http';
import { MediatorResponseDto, MediatorsService } from '@mediator/mediators';
import { CreateMediatorDto } from '@mediator/mediators/mediator.dto';
import { MessagingService } from '@mediator/messaging';
import { PubSubService } from '@mediator/pubsub';
import { RequestsService } from '@mediator/requests';
import { NotificationsService } from '@mediator/notifications';
import { WorkflowsService } from '@mediator/workflows';
import { ResourcesService } from '@mediator/resources';
import { ServiceRegistryService } from '@mediator/service-registry';
import { TasksService } from '@mediator/tasks';
import { JobsService } from '@mediator/jobs';
import { EnvelopeDto, RecipientStatusDto } from '@mediator/messaging/message.dto';
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
  SendMessageCommandDto,
  UpdateColleagueCommandDto,
  UpdateMediatorCommandDto,
} from './kafka-command.dto';
import { eventAndRequestOperations } from './kinds/event-request.operations';
import { notificationAndWorkflowOperations } from './kinds/notification-workflow.operations';
import { serviceAndResourceOperations } from './kinds/service-resource.operations';
import { taskAndJobOperations } from './kinds/task-job.operations';
import { type Operation, operation } from './operation';

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

/**
 * The operations of `mediator-commands`, each mapped to one application-service call whose result
 * is the REST wire object (the same DTO mappers), `null` where REST answers 204.
 */
@Injectable()
export class KafkaOperations {
  private readonly operations: ReadonlyMap<string, Operation>;

  constructor(
    mediators: MediatorsService,
    colleagues: ColleaguesService,
    messaging: MessagingService,
    pubsub: PubSubService,
    requests: RequestsService,
    notifications: NotificationsService,
    workflows: WorkflowsService,
    registry: ServiceRegistryService,
    resources: ResourcesService,
    tasks: TasksService,
    jobs: JobsService,
  ) {
    this.operations = new Map<string, Operation>([
      [
        'create_mediator',
        operation(
          CreateMediatorDto,
          { audited: true, scopes: ['mediators:write'], unbound: true },
          async (p) => MediatorResponseDto.from(await mediators.create(p)),
        ),
      ],
      [
        'get_mediator',
        operation(MediatorRefDto, { audited: false, scopes: ['mediators:read'] }, async (p) =>
          MediatorResponseDto.from(await mediators.get(p.mediator)),
        ),
      ],
      [
        'list_mediators',
        operation(
          ListMediatorsCommandDto,
          { audited: false, scopes: ['mediators:read'] },
          async (p, principal) => {
            const page = await mediators.list(toPageRequest(p), principal.boundMediator);
            return {
              items: page.items.map(MediatorResponseDto.from),
              next_cursor: page.nextCursor,
            };
          },
        ),
      ],
      [
        'update_mediator',
        operation(
          UpdateMediatorCommandDto,
          { audited: true, scopes: ['mediators:write'] },
          async ({ mediator, ...p }) =>
            MediatorResponseDto.from(await mediators.update(mediator, p)),
        ),
      ],
      [
        'remove_mediator',
        operation(MediatorRefDto, { audited: true, scopes: ['mediators:write'] }, async (p) => {
          await mediators.remove(p.mediator);
          return null;
        }),
      ],
      [
        'register_colleague',
        operation(RegisterColleagueCommandDto, COLLEAGUE_WRITE, async ({ mediator, ...p }) =>
          colleague(await colleagues.register(mediator, p)),
        ),
      ],
      [
        'get_colleague',
        operation(ColleagueRefDto, { audited: false, scopes: ['mediators:read'] }, async (p) =>
          colleague(await colleagues.get(p.mediator, p.id)),
        ),
      ],
      [
        'list_colleagues',
        operation(
          ListColleaguesCommandDto,
          { audited: false, scopes: ['mediators:read'] },
          async (p) => {
            const page = await colleagues.list(p.mediator, toPageRequest(p), p.type);
            return { items: page.items.map(colleague), next_cursor: page.nextCursor };
          },
        ),
      ],
      [
        'update_colleague',
        operation(UpdateColleagueCommandDto, COLLEAGUE_WRITE, async ({ mediator, id, ...p }) =>
          colleague(await colleagues.update(mediator, id, p)),
        ),
      ],
      [
        'unregister_colleague',
        operation(ColleagueRefDto, COLLEAGUE_WRITE, async (p) => {
          await colleagues.unregister(p.mediator, p.id);
          return null;
        }),
      ],
      [
        'send_message',
        operation(SendMessageCommandDto, AS_SENDER, async (p) =>
          EnvelopeDto.from(
            await messaging.send(p.mediator, {
              senderId: p.sender_id,
              recipientId: p.recipient_id,
              message: p.message,
              kind: p.kind,
              type: p.type,
              headers: p.headers,
              idempotencyKey: p.idempotency_key,
            }),
          ),
        ),
      ],
      [
        'broadcast_message',
        operation(BroadcastMessageCommandDto, AS_SENDER, async (p) => {
          const envelope = await messaging.broadcast(p.mediator, {
            senderId: p.sender_id,
            message: p.message,
            kind: p.kind,
            type: p.type,
          });
          return { ...EnvelopeDto.from(envelope), recipients: envelope.recipients };
        }),
      ],
      [
        'get_message',
        operation(
          MessageRefDto,
          { audited: false, scopes: ['messages:read'] },
          async (p, principal) => {
            const { envelope, recipients } = await messaging.get(p.mediator, p.message_id);
            requireParty(principal, p.mediator, envelope.senderId, recipients);
            return {
              ...EnvelopeDto.from(envelope),
              recipients: recipients.map(RecipientStatusDto.from),
            };
          },
        ),
      ],
      [
        'list_inbox',
        operation(ListInboxCommandDto, { audited: false, ...AS_INBOX_OWNER }, async (p) => {
          const page = await messaging.inbox(
            p.mediator,
            inboxColleague(p),
            p.status,
            toPageRequest(p),
          );
          return { items: page.items.map(EnvelopeDto.from), next_cursor: page.nextCursor };
        }),
      ],
      [
        'ack_message',
        operation(AckMessageCommandDto, { audited: true, ...AS_INBOX_OWNER }, async (p) => {
          await messaging.ack(p.mediator, inboxColleague(p), p.message_id);
          return null;
        }),
      ],
      [
        'redeliver_message',
        operation(
          RedeliverMessageCommandDto,
          { audited: true, scopes: ['messages:send'] },
          async (p, principal) => {
            // As REST: a colleague-bound token redelivers only its own deliveries.
            const recipientId = p.recipient_id ?? principal.boundColleague;
            if (recipientId !== undefined) principal.requireColleague(p.mediator, recipientId);
            const { envelope, recipients } = await messaging.redeliverMessage(
              p.mediator,
              p.message_id,
              recipientId,
            );
            return {
              ...EnvelopeDto.from(envelope),
              recipients: recipients.map(RecipientStatusDto.from),
            };
          },
        ),
      ],
      ...eventAndRequestOperations(pubsub, requests, messaging),
      ...notificationAndWorkflowOperations(notifications, workflows),
      ...serviceAndResourceOperations(registry, resources),
      ...taskAndJobOperations(tasks, jobs),
    ]);
  }

  find(type: string): Operation | undefined {
    return this.operations.get(type);
  }
}
