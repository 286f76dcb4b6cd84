import type { Principal, Scope } from '@mediator/auth';

/**
 * Who may run an operation: the same rules as its REST route, declared next to the operation.
 * The mediator binding is checked on the payload's `mediator` (REST's `{name}`) for every operation.
 */
export interface Access<T> {
  /** It changes state: audited with the token's subject as actor. */
  audited: boolean;
  /** The REST route's @RequireScopes: any one of them suffices. */
  scopes: Scope[];
  /** The colleague the command acts or reads as: a colleague-bound token must be that colleague. */
  colleague?: (payload: T) => string;
  /** Only a token bound to no mediator may run it (creating mediators). */
  unbound?: boolean;
  /** It acts for the whole mediator, not as one colleague: no colleague-bound token may run it. */
  noColleague?: boolean;
}

/** One command type: its payload class, who may run it, and its one call. */
export interface Operation<T extends object = object> extends Access<T> {
  payload: new () => T;
  /** `principal` for the checks that need stored data (e.g. a lease's holder), as in REST. */
  run(payload: T, principal: Principal): Promise<unknown>;
}

/** The token may call the operation at all (before its payload is read). */
export function requireScopes(principal: Principal, operation: Operation): void {
  const { scopes } = operation;
  if (scopes.length > 0 && !scopes.some((s) => principal.has(s))) principal.requireScope(scopes[0]);
  if (operation.unbound) principal.requireUnbound();
}

/** The token's mediator and colleague bindings allow this payload. */
export function requireBindings(principal: Principal, operation: Operation, payload: object): void {
  const mediator = (payload as { mediator?: unknown }).mediator;
  if (typeof mediator !== 'string') return;
  principal.requireMediator(mediator);
  if (operation.colleague) principal.requireColleague(mediator, operation.colleague(payload));
  if (operation.noColleague) principal.requireNoColleague(mediator);
}
