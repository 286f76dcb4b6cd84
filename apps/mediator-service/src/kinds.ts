import type { KindLibrary } from '@mediator/mediators';
import { eventKind } from '@mediator/kinds/event';
import { requestKind } from '@mediator/kinds/request';
import { messageKind } from '@mediator/kinds/message';
import { notificationKind } from '@mediator/kinds/notification';
import { workflowKind } from '@mediator/kinds/workflow';
import { serviceKind } from '@mediator/kinds/service';
import { resourceKind } from '@mediator/kinds/resource';
import { taskKind } from '@mediator/kinds/task';
import { jobKind } from '@mediator/kinds/job';

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
