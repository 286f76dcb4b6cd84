import { Injectable } from '@nestjs/common';

/** A configured component's liveness probe: resolves when it answers, rejects (or false) when not. */
export type ComponentCheck = () => Promise<boolean | void>;

/**
 * Components (database, MongoDB, Redis, Kafka, …) register their probe here from their own
 * module, so the health endpoints report every configured component without knowing them.
 */
@Injectable()
export class ComponentHealth {
  private readonly checks = new Map<string, ComponentCheck>();

  register(name: string, check: ComponentCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, ComponentCheck][] {
    return [...this.checks.entries()];
  }
}
