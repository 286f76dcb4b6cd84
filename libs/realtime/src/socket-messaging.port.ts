import type { BroadcastEnvelope, Envelope, MediatorKind } from '@mediator/core';

/** A `send` event: a direct message from the socket's colleague. */
export interface SocketSend {
  senderId: string;
  recipientId: string;
  message: unknown;
  kind?: MediatorKind;
  type?: string;
}

/** A `broadcast` event: a message from the socket's colleague to every other colleague. */
export interface SocketBroadcast {
  senderId: string;
  message: unknown;
  kind?: MediatorKind;
  type?: string;
}

/**
 * The message kind as the Socket.IO gateway needs it: the `send` and `broadcast` events, and the
 * redelivery of a colleague's unacknowledged messages when it connects. The message kind's
 * library binds its service to this port, so the socket transport imports no kind (as Kafka
 * discovers the kinds' operations instead of importing them).
 */
export abstract class SocketMessaging {
  abstract send(mediator: string, command: SocketSend): Promise<Envelope>;
  abstract broadcast(mediator: string, command: SocketBroadcast): Promise<BroadcastEnvelope>;
  /** Pushes again what the colleague has not acknowledged; how many. */
  abstract redeliver(mediator: string, colleagueId: string): Promise<number>;
}
