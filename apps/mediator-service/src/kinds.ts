import type { KindLibrary } from '@mediator/mediators';
import { MessagingModule } from '@mediator/messaging';
import { eventKind } from '@mediator/kinds/event';
import { requestKind } from '@mediator/kinds/request';
import { notificationKind } from '@mediator/kinds/notification';
import { workflowKind } from '@mediator/kinds/workflow';
import { serviceKind } from '@mediator/kinds/service';
import { resourceKind } from '@mediator/kinds/resource';
import { taskKind } from '@mediator/kinds/task';
import { jobKind } from '@mediator/kinds/job';

/**
 * The message kind: its store is the core's MessageRepository (libs/persistence), bound with
 * the mediators' and colleagues' repositories; its library (libs/messaging) also holds the
 * Socket.IO gateway, so it has not moved to libs/kinds yet.
 */
const messageKind: KindLibrary = { module: MessagingModule, stores: {} };

/**
 * The kinds the service runs, each from its own library (libs/kinds/<kind>): its module (routes,
 * service, Kafka operations, store), the core ports it binds and its SQL tables. Adding a kind
 * adds one line here (CONTRIBUTING.md, "Adding a kind"). The order is the HTTP API's, so that of
 * the OpenAPI document.
 */
export const KINDS: readonly KindLibrary[] = [
  eventKind,
  requestKind,
  messageKind,
  notificationKind,
  workflowKind,
  serviceKind,
  resourceKind,
  taskKind,
  jobKind,
];
