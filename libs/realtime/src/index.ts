export { RealtimeModule } from './realtime.module';
export { RealtimeHub, type DeliveryObserver } from './realtime.hub';
export { colleagueRoom, mediatorRoom, ALL_MEDIATORS_ROOM } from './rooms';
export { toEnvelopeWire, toEventWire, type EnvelopeWire, type LifecycleEventWire } from './wire';
