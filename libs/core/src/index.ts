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
  type MediatorPorts,
  toEventData,
} from './concrete-mediator';
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
