export { RealtimeModule } from './realtime.module';
export { RealtimeHub, type DeliveryObserver } from './realtime.hub';
export { colleagueRoom, mediatorRoom, ALL_MEDIATORS_ROOM } from './rooms';
export { toEnvelopeWire, toEventWire, type EnvelopeWire, type LifecycleEventWire } from './wire';
export { HubRequestPort, POLL_DELIVERY } from './hub-request.port';
export {
  RequestReplies,
  HandlerAnswerError,
  REQUEST_ACK_WINDOW_MS,
  type RequestAnswer,
} from './request-replies';
export { SocketMessaging, type SocketSend, type SocketBroadcast } from './socket-messaging.port';
export { SocketIoModule } from './socket-io.module';
