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
  private readonly degradable = new Set<string>();

  /**
   * `degradable`: the service keeps serving without the component (Redis: per-instance rate
   * limits and cache; Kafka: events wait in the outbox), so readiness reports it `degraded`
   * instead of taking the instance out of the load balancer.
   */
  register(name: string, check: ComponentCheck, options: { degradable?: boolean } = {}): void {
    this.checks.set(name, check);
    if (options.degradable) this.degradable.add(name);
    else this.degradable.delete(name);
  }

  entries(): [string, ComponentCheck][] {
    return [...this.checks.entries()];
  }

  isDegradable(name: string): boolean {
    return this.degradable.has(name);
  }
}
