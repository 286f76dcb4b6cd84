import { type NotificationsService } from '@mediator/notifications';
import {
  NotificationDto,
  NotificationRefCommandDto,
  SendNotificationCommandDto,
  toSendNotificationCommand,
} from '@mediator/notifications/notification.dto';
import { type WorkflowsService } from '@mediator/workflows';
import {
  StartWorkflowCommandDto,
  WorkflowDto,
  WorkflowRefCommandDto,
  toStartWorkflowCommand,
} from '@mediator/workflows/workflow.dto';
import { type Operation, operation } from '../operation';

/**
 * `send_notification`, `get_notification`, `start_workflow`, `get_workflow` and
 * `cancel_workflow`: the REST body plus `mediator` (and `id`); results are the REST wire objects.
 */
export function notificationAndWorkflowOperations(
  notifications: NotificationsService,
  workflows: WorkflowsService,
): [string, Operation][] {
  return [
    [
      'send_notification',
      operation(SendNotificationCommandDto, true, async (p) =>
        NotificationDto.from(await notifications.send(p.mediator, toSendNotificationCommand(p))),
      ),
    ],
    [
      'get_notification',
      operation(NotificationRefCommandDto, false, async (p) =>
        NotificationDto.from(await notifications.get(p.mediator, p.id)),
      ),
    ],
    [
      'start_workflow',
      operation(StartWorkflowCommandDto, true, async (p) =>
        WorkflowDto.from(await workflows.start(p.mediator, toStartWorkflowCommand(p))),
      ),
    ],
    [
      'get_workflow',
      operation(WorkflowRefCommandDto, false, async (p) =>
        WorkflowDto.from(await workflows.get(p.mediator, p.id)),
      ),
    ],
    [
      'cancel_workflow',
      operation(WorkflowRefCommandDto, true, async (p) =>
        WorkflowDto.from(await workflows.cancel(p.mediator, p.id)),
      ),
    ],
  ];
}
