import { EventEmitter } from 'node:events';
import type { io } from 'socket.io-client';
import { Connection, type ConnectionState } from './connection';
import { UnauthorizedError } from './errors';

/** A stand-in for socket.io-client's Socket: records handshakes and emits, answers ok. */
class FakeSocket extends EventEmitter {
  connected = false;
  active = false;
  id: string | undefined;
  handshakes: unknown[] = [];
  emitted: Array<[string, unknown]> = [];
  private sessions = 0;

  constructor(private readonly auth: (send: (data: unknown) => void) => void) {
    super();
  }

  connect(): this {
    this.active = true;
    this.auth((data) => {
      this.handshakes.push(data);
      this.connected = true;
      this.id = `s${++this.sessions}`;
      super.emit('connect');
    });
    return this;
  }

  disconnect(): this {
    const was = this.connected;
    this.connected = false;
    this.active = false;
    if (was) super.emit('disconnect', 'io client disconnect');
    return this;
  }

  close(): this {
    return this.disconnect();
  }

  /** What the service does: a server-side event, or ending the connection. */
  fromServer(event: string, ...args: unknown[]): void {
    if (event === 'disconnect') {
      this.connected = false;
      this.active = false;
    }
    super.emit(event, ...args);
  }

  /** The service's answer to the next subscribes (ok by default). */
  answer: unknown = { ok: true };

  timeout() {
    return {
      emitWithAck: async (event: string, body: unknown) => {
        if (!this.connected) throw new Error('operation has timed out');
        this.emitted.push([event, body]);
        return this.answer;
      },
    };
  }
}

function open(token: string | (() => string)) {
  let socket!: FakeSocket;
  const create = ((_url: string, opts: { auth: (send: (d: unknown) => void) => void }) => {
    socket = new FakeSocket(opts.auth);
    return socket;
  }) as unknown as typeof io;
  const connection = new Connection('http://x', { token, reconnectDelayMs: 1 }, create);
  const states: Array<[ConnectionState, string | undefined]> = [];
  connection.onState((state, error) => states.push([state, error?.name]));
  return { connection, socket: () => socket, states };
}

const flush = () => new Promise((r) => setImmediate(r));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('Connection', () => {
  it('sends the token in the handshake and joins watched mediators again after a reconnect', async () => {
    const { connection, socket } = open('t-1');
    await connection.open();
    await connection.watch('shop');
    socket().fromServer('disconnect', 'transport close');
    socket().connect();
    await flush();
    expect(socket().handshakes).toEqual([{ token: 't-1' }, { token: 't-1' }]);
    expect(socket().emitted).toEqual([
      ['subscribe', { mediator: 'shop' }],
      ['subscribe', { mediator: 'shop' }],
    ]);
  });

  it('makes a subscription asked for while disconnected on the next connect; drops a refused one', async () => {
    const { connection, socket } = open('t-1');
    await connection.open();
    socket().fromServer('disconnect', 'transport close');
    await expect(connection.watch('shop')).rejects.toThrow(/timed out/);
    socket().answer = { ok: false, error: { code: 'MEDIATOR_FORBIDDEN', message: 'no' } };
    socket().connect();
    await flush();
    expect(socket().emitted).toEqual([['subscribe', { mediator: 'shop' }]]);
    socket().fromServer('disconnect', 'transport close');
    socket().connect();
    await flush();
    expect(socket().emitted).toHaveLength(1);
  });

  it('on token_expired reconnects at once with a token from the token function', async () => {
    let n = 0;
    const { connection, socket, states } = open(() => `t-${++n}`);
    await connection.open();
    socket().fromServer('token_expired', { reason: 'token_expired' });
    await flush();
    expect(socket().handshakes).toEqual([{ token: 't-1' }, { token: 't-2' }]);
    expect(states.map(([s]) => s)).toEqual(['connected', 'reconnecting', 'connected']);
  });

  it('with a fixed token, token_expired reports the connection as lost for good', async () => {
    const { connection, socket, states } = open('fixed');
    await connection.open();
    socket().fromServer('token_expired', { reason: 'token_expired' });
    expect(states.at(-1)).toEqual(['disconnected', UnauthorizedError.name]);
  });

  it('reconnects with a new token after the service ends the connection, when it can refresh', async () => {
    let n = 0;
    const { connection, socket } = open(() => `t-${++n}`);
    await connection.open();
    socket().fromServer('disconnect', 'io server disconnect');
    await until(() => socket().handshakes.length === 2);
    expect(socket().handshakes).toEqual([{ token: 't-1' }, { token: 't-2' }]);
  });
});
