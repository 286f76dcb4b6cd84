import { Connection, type LifecycleEvent } from '@mediator/client';
import type { Session } from './session';

export type LifecycleListener = (event: LifecycleEvent<Record<string, unknown>>) => void;
export type LiveState = 'live' | 'connecting' | 'polling' | 'offline';

/**
 * Lifecycle events over Socket.IO for a token bound to no colleague. A colleague-bound token
 * never opens the socket here: the service would treat the console as that colleague (online,
 * its deliveries pushed to the page), so the console polls instead and stays a bystander.
 */
export class Live {
  private connection?: Connection;
  private readonly listeners = new Set<LifecycleListener>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  state: LiveState = 'offline';

  constructor(private readonly session: Session) {}

  async start(): Promise<void> {
    if (this.session.colleague !== undefined) return this.setState('polling');
    this.setState('connecting');
    const connection = new Connection(location.origin, { token: this.session.token });
    connection.socket.onAny((name: string, payload: unknown) => {
      if (isLifecycle(name, payload)) this.listeners.forEach((listen) => listen(payload));
    });
    connection.onState((state) => this.setState(state === 'connected' ? 'live' : 'offline'));
    try {
      await connection.open();
      this.connection = connection;
      this.setState('live');
    } catch {
      this.setState('polling');
    }
  }

  /** Joins a mediator's events (`*`: all); false when refused or not connected. */
  async watch(mediator: string): Promise<boolean> {
    if (!this.connection) return false;
    try {
      await this.connection.watch(mediator);
      return true;
    } catch {
      return false;
    }
  }

  on(listener: LifecycleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.connection?.close();
    this.listeners.clear();
  }

  private setState(state: LiveState): void {
    this.state = state;
    this.stateListeners.forEach((listen) => listen(state));
  }
}

function isLifecycle(
  name: string,
  payload: unknown,
): payload is LifecycleEvent<Record<string, unknown>> {
  return (
    name !== 'message' &&
    typeof payload === 'object' &&
    payload !== null &&
    (payload as { event?: unknown }).event === name &&
    typeof (payload as { mediator?: unknown }).mediator === 'string'
  );
}
