// Public API of @mediator/core: the mediator pattern as a pure TypeScript library.
export * from './errors';
export * from './config';
export * from './model';
export * from './ports';
export { UuidV7Generator } from './ids';
export {
  BaseColleague,
  FunctionColleague,
  type ColleagueRegistration,
  type MediatorHandle,
  type Receiver,
  isReceiver,
} from './colleague';
export {
  ConcreteMediator,
  type ConcreteMediatorOptions,
  type KindOptions,
  type KindStores,
  STORE_KINDS,
  type MediatorPorts,
  type PublishOptions,
  type PublishResult,
  type RequestOptions,
  toEventData,
} from './concrete-mediator';
export { canonicalJson } from './canonical-json';
export { CronSchedule } from './cron';
export { type DispatchContext, type PipelineBehaviour, runPipeline } from './pipeline';
export { PendingReplies } from './replies';
export {
  RoundRobin,
  chooseHandler,
  handlersOf,
  handlesType,
  pickRoundRobin,
  subscribersOf,
  subscribesTo,
} from './routing';
export { ManualClock, type Scheduler, systemScheduler } from './timing';
export {
  MediatorRegistry,
  type CreateMediatorInput,
  type UpdateMediatorInput,
} from './mediator-registry';
export {
  InMemoryColleagueDirectory,
  InMemoryMediatorStore,
  InMemoryMessageStore,
  LocalDelivery,
  EventFanOut,
  type EventListener,
} from './memory-adapters';

// The kinds (KINDS.md): messages, handlers, state, pure transitions, ports and in-memory adapters.
export * from './kinds/base-messages';
export * from './kinds/handlers';
export type { KindHost } from './kinds/kind-host';
export * from './kinds/event/event-log';
export * from './kinds/query/reply-cache';
export * from './kinds/notification/notification';
export * from './kinds/notification/notification-store';
export * from './kinds/notification/notification-center';
export * from './kinds/workflow/workflow';
export * from './kinds/workflow/workflow-store';
export * from './kinds/workflow/workflow-engine';
export * from './kinds/service/service';
export * from './kinds/service/service-store';
export * from './kinds/service/service-registry';
export * from './kinds/resource/resource';
export * from './kinds/resource/resource-store';
export * from './kinds/resource/resource-manager';
export * from './kinds/task/task';
export * from './kinds/task/task-store';
export * from './kinds/task/task-queue';
export * from './kinds/job/job';
export * from './kinds/job/job-store';
export * from './kinds/job/job-scheduler';
