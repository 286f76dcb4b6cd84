import { io, type Socket } from 'socket.io-client';
import { apiError, errorFromAnswer, MediatorApiError, UnauthorizedError } from './errors';
import { currentToken, type TokenSource } from './token';
import type { ServerAck } from './wire';

export type ConnectionState = 'connected' | 'reconnecting' | 'disconnected';

export interface ConnectionOptions {
  token: TokenSource;
  /** Socket.IO path (`websocket.path` of the service). Default `/ws`. */
  path?: string;
  /** Backoff between reconnection attempts: from this… Default 500 ms. */
  reconnectDelayMs?: number;
  /** …doubling up to this. Default 10 s. */
  reconnectDelayMaxMs?: number;
  /** How long `connect` waits for the first connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** How long an emit waits for the service's ack. Default 10 s. */
  ackTimeoutMs?: number;
}

/**
 * The Socket.IO connection (CONTRACT §5): path `/ws`, websocket transport, `auth: { token }` read
 * from the token source on every handshake, so a reconnect carries a fresh token. Socket.IO
 * reconnects with backoff after a lost connection; this class also reconnects when the service
 * ends the connection because the token expired (`token_expired`) and a token function can give
 * a new one, and re-joins the mediators' lifecycle rooms after every reconnect.
 */
export class Connection {
  readonly socket: Socket;
  private readonly watched = new Set<string>();
  private readonly stateListeners = new Set<(state: ConnectionState, error?: Error) => void>();
  private readonly ackTimeoutMs: number;
  private readonly refreshable: boolean;
  private closed = false;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private failedAttempts = 0;
  private hadConnection = false;

  constructor(
    url: string,
    private readonly options: ConnectionOptions,
    /** How the socket is made: socket.io-client's `io` (a stand-in in unit tests). */
    createSocket: typeof io = io,
  ) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.refreshable = typeof options.token === 'function';
    this.socket = createSocket(url, {
      path: options.path ?? '/ws',
      transports: ['websocket'],
      autoConnect: false,
      forceNew: true,
      reconnectionDelay: options.reconnectDelayMs ?? 500,
      reconnectionDelayMax: options.reconnectDelayMaxMs ?? 10_000,
      auth: (send) => {
        currentToken(options.token).then(
          (token) => send({ token }),
          // No token now: the handshake fails as unauthorized and is retried with backoff.
          () => send({}),
        );
      },
    });
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('disconnect', (reason) => this.onDisconnect(reason));
    this.socket.on('connect_error', (error) => this.onConnectError(error));
    this.socket.on('token_expired', () => this.onTokenExpired());
  }

  /** Opens the connection; rejects with UnauthorizedError for a refused token. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
      let lastError: Error | undefined;
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.socket.off('connect', onConnect);
        this.socket.off('connect_error', onError);
        if (error) {
          this.close();
          reject(error);
        } else resolve();
      };
      const onConnect = () => done();
      const onError = (error: Error) => {
        lastError = error;
        if (error.message === 'unauthorized') done(unauthorized());
        // Another refusal by the service (not a network error) is not retried by Socket.IO.
        else if (!this.socket.active) done(error);
      };
      const timer = setTimeout(
        () => done(lastError ?? new Error(`no connection within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.socket.on('connect', onConnect);
      this.socket.on('connect_error', onError);
      this.socket.connect();
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  onState(listener: (state: ConnectionState, error?: Error) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Emits a client → server event and resolves with its ack, or throws its error. */
  async emit(event: string, body: unknown): Promise<Record<string, unknown>> {
    const ack = (await this.socket
      .timeout(this.ackTimeoutMs)
      .emitWithAck(event, body)) as ServerAck;
    if (!ack.ok) throw errorFromAnswer(ack.error);
    return ack;
  }

  /**
   * Joins a mediator's lifecycle events, kept across reconnects. Recorded before the service
   * answers, so a subscription made while disconnected is made on the next connect; one the
   * service refuses is dropped.
   */
  async watch(mediator: string): Promise<void> {
    if (this.watched.has(mediator)) return;
    this.watched.add(mediator);
    try {
      await this.emit('subscribe', { mediator });
    } catch (error) {
      if (error instanceof MediatorApiError) this.watched.delete(mediator);
      throw error;
    }
  }

  async unwatch(mediator: string): Promise<void> {
    if (!this.watched.delete(mediator)) return;
    if (this.connected) await this.emit('unsubscribe', { mediator });
  }

  /** Drops the connection and opens a new one (a new handshake with the current token). */
  reconnect(): void {
    if (this.closed) return;
    this.socket.disconnect();
    this.setState('reconnecting');
    this.socket.connect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket.close();
  }

  private onConnect(): void {
    this.failedAttempts = 0;
    this.setState('connected');
    // A new connection holds no rooms: join the watched mediators again. A refusal now (the
    // token changed) reaches the state listeners with the connection's state.
    for (const mediator of this.watched) {
      this.emit('subscribe', { mediator }).catch((error: unknown) => {
        if (error instanceof MediatorApiError) this.watched.delete(mediator);
        this.setState('connected', asError(error));
      });
    }
  }

  private onDisconnect(reason: Socket.DisconnectReason): void {
    if (this.closed || reason === 'io client disconnect') return;
    // Socket.IO reconnects by itself except when the service ended the connection.
    if (reason !== 'io server disconnect') return this.setState('reconnecting');
    if (this.refreshable) return this.retryLater();
    this.setState('disconnected', new MediatorApiError({ code: 'DISCONNECTED', message: reason }));
  }

  private onConnectError(error: Error): void {
    // Before the first connection `open` reports the refusal to its caller.
    if (this.closed || this.socket.active || !this.hadConnection) return;
    // Refused by the service (unauthorized): a token function may yield a valid token later.
    if (this.refreshable) return this.retryLater();
    this.setState('disconnected', error.message === 'unauthorized' ? unauthorized() : error);
  }

  private onTokenExpired(): void {
    // The service is about to end this connection: reconnect at once with a fresh token.
    if (this.refreshable) this.reconnect();
    else this.setState('disconnected', unauthorized('the token expired'));
  }

  private retryLater(): void {
    if (this.closed) return;
    this.setState('reconnecting');
    const base = this.options.reconnectDelayMs ?? 500;
    const max = this.options.reconnectDelayMaxMs ?? 10_000;
    const delay = Math.min(max, base * 2 ** this.failedAttempts++);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(
      () => {
        if (!this.closed) this.socket.connect();
      },
      delay * (0.5 + Math.random()),
    );
  }

  private setState(state: ConnectionState, error?: Error): void {
    if (state === 'connected') this.hadConnection = true;
    this.stateListeners.forEach((listener) => listener(state, error));
  }
}

function unauthorized(message = 'the service refused the token'): MediatorApiError {
  return apiError({ code: 'UNAUTHORIZED', message, status: 401 }) as UnauthorizedError;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
