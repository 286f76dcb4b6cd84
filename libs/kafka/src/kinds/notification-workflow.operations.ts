import { toPageRequest } from '@mediator/http';
import { type NotificationsService } from '@mediator/notifications';
import {
  NotificationDto,
  NotificationRefCommandDto,
  SendNotificationCommandDto,
  toSendNotificationCommand,
} from '@mediator/notifications/notification.dto';
import { type WorkflowsService } from '@mediator/workflows';
import {
  ListWorkflowsCommandDto,
  StartWorkflowCommandDto,
  WorkflowDto,
  WorkflowRefCommandDto,
  toStartWorkflowCommand,
} from '@mediator/workflows/workflow.dto';
import type { Scope } from '@mediator/auth';
import { type Operation, operation } from '../operation';

// The scopes of the REST routes of the same operations.
const SENDS = { audited: true, scopes: ['messages:send'] as Scope[] };
const READS = { audited: false, scopes: ['messages:read'] as Scope[] };

/**
 * `send_notification`, `get_notification`, `start_workflow`, `get_workflow`, `list_workflows`
 * and `cancel_workflow`: the REST body or query plus `mediator` (and `id`); results are the REST
 * wire objects.
 */
export function notificationAndWorkflowOperations(
  notifications: NotificationsService,
  workflows: WorkflowsService,
): [string, Operation][] {
  return [
    [
      'send_notification',
      operation(SendNotificationCommandDto, SENDS, async (p) =>
        NotificationDto.from(await notifications.send(p.mediator, toSendNotificationCommand(p))),
      ),
    ],
    [
      'get_notification',
      operation(NotificationRefCommandDto, READS, async (p, principal) => {
        const notification = await notifications.get(p.mediator, p.id);
        // As REST: a colleague-bound token reads only the notifications addressed to it.
        principal.requireColleague(p.mediator, notification.recipientId);
        return NotificationDto.from(notification);
      }),
    ],
    [
      'start_workflow',
      operation(StartWorkflowCommandDto, SENDS, async (p) =>
        WorkflowDto.from(await workflows.start(p.mediator, toStartWorkflowCommand(p))),
      ),
    ],
    [
      'get_workflow',
      operation(WorkflowRefCommandDto, READS, async (p) =>
        WorkflowDto.from(await workflows.get(p.mediator, p.id)),
      ),
    ],
    [
      'list_workflows',
      operation(ListWorkflowsCommandDto, READS, async (p) => {
        const page = await workflows.list(p.mediator, p.status, toPageRequest(p));
        return { items: page.items.map(WorkflowDto.from), next_cursor: page.nextCursor };
      }),
    ],
    [
      'cancel_workflow',
      // A workflow belongs to its mediator, not to the colleague that started it (as REST).
      operation(WorkflowRefCommandDto, { ...SENDS, noColleague: true }, async (p) =>
        WorkflowDto.from(await workflows.cancel(p.mediator, p.id)),
      ),
    ],
  ];
}
