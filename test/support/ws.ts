// Socket.IO clients as the CONTRACT §5 describes them: path /ws, auth { token }, websocket only.
import { io, type Socket } from 'socket.io-client';
import type { Json } from './http';

export function connect(url: string, token: string | undefined): Socket {
  return io(url, {
    path: '/ws',
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
}

/** Connects and resolves once connected (rejects on connect_error). */
export function connected(url: string, token: string): Promise<Socket> {
  const socket = connect(url, token);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

export function emitAck<T = Json>(
  socket: Socket,
  event: string,
  body: unknown,
  timeoutMs = 5000,
): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, body) as Promise<T>;
}

/** Resolves with the first `event` whose payload passes `match`. */
export function waitFor<T = Json>(
  socket: Socket,
  event: string,
  match: (payload: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** Collects every payload of `event` (for "no more events" assertions). */
export function record<T = Json>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

/**
 * A round trip on `socket`: resolves once everything the server wrote to this socket before it
 * answered has arrived, since one socket's packets arrive in the order they were written. For
 * "nothing else arrived" checks after a broadcast another socket of the same room has received:
 * a room's broadcast is written to all its sockets at once, so it was written to this one (had
 * it been in the room) before the server read this round trip. The probe is an `unsubscribe` the
 * server refuses as invalid: it changes nothing and is not audited.
 */
export async function flushed(socket: Socket): Promise<void> {
  const answer = await emitAck<{ ok: boolean; error?: { code: string } }>(
    socket,
    'unsubscribe',
    {},
  );
  if (answer.ok || answer.error?.code !== 'VALIDATION_FAILED')
    throw new Error(`unexpected answer to the flush probe: ${JSON.stringify(answer)}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
