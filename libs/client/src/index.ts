// @mediator/client: a colleague of the mediator service in a few lines, in Node 20+ and in the
// browser. The Kafka helper is a separate entry point (`@mediator/client/kafka`), so a browser
// bundle never pulls kafkajs in.
export { MediatorClient } from './mediator-client';
export type { ConnectOptions, RequestOptions, SendOptions } from './mediator-client';
export type { ConnectionOptions, ConnectionState } from './connection';
// A connection that is no colleague (a token bound to none): lifecycle events only, e.g. the
// web console's live view. Colleagues use MediatorClient.
export { Connection } from './connection';
export type { EventHandler, MessageHandler, RequestHandler } from './delivery-router';
export type { TaskHandler, TaskWorker, WorkOptions } from './task-worker';
export type { TokenSource } from './token';
export type { Answer, Envelope, Kind, LifecycleEvent } from './wire';
export { createRestApi } from './rest';
export * from './errors';
export { MediatorApi } from './generated/sdk.gen';
export type * from './generated/types.gen';
