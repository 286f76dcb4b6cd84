import type { ColleagueInfo } from './model';

/**
 * The routing rule shared by every kind (KINDS.md): a colleague handles a type when its `handles`
 * lists it; an event reaches colleagues whose `subscriptions` list its type, or that have none.
 * Inactive colleagues receive nothing. Pure functions, so the service applies the same rule to
 * the colleagues it loads from its own store.
 */
export function handlesType(colleague: ColleagueInfo, type: string): boolean {
  return colleague.active && colleague.handles.includes(type);
}

export function subscribesTo(colleague: ColleagueInfo, type: string): boolean {
  return (
    colleague.active &&
    (colleague.subscriptions.length === 0 || colleague.subscriptions.includes(type))
  );
}

/** The handlers of `type`, ordered by id so every instance sees the same rotation. */
export function handlersOf(colleagues: readonly ColleagueInfo[], type: string): ColleagueInfo[] {
  return colleagues.filter((c) => handlesType(c, type)).sort(byId);
}

/** The subscribers of an event type, the publisher excluded. */
export function subscribersOf(
  colleagues: readonly ColleagueInfo[],
  type: string,
  publisherId?: string,
): ColleagueInfo[] {
  return colleagues.filter((c) => c.id !== publisherId && subscribesTo(c, type)).sort(byId);
}

/** Round-robin: the `turn`-th choice among the eligible, or undefined when there is none. */
export function pickRoundRobin<T>(eligible: readonly T[], turn: number): T | undefined {
  if (eligible.length === 0) return undefined;
  return eligible[Math.abs(Math.trunc(turn)) % eligible.length];
}

/**
 * The handler a command, query, notification or workflow step goes to: exactly one, taken in
 * turn among the active handlers of `type` that `isOnline` accepts (in process: colleagues with
 * a receiver attached; in the service: connected ones). `turn` comes from a RoundRobin.
 */
export function chooseHandler(
  colleagues: readonly ColleagueInfo[],
  type: string,
  turn: number,
  isOnline: (colleague: ColleagueInfo) => boolean = () => true,
): ColleagueInfo | undefined {
  return pickRoundRobin(handlersOf(colleagues, type).filter(isOnline), turn);
}

/**
 * One turn counter per message type. Keep one instance per mediator for as long as the
 * mediator lives (the service: one per named mediator, not one per request), or every choice
 * starts again at the first handler.
 */
export class RoundRobin {
  private readonly turns = new Map<string, number>();

  /** This key's turn, then counts one up. */
  nextTurn(key: string): number {
    const turn = this.turns.get(key) ?? 0;
    this.turns.set(key, (turn + 1) % Number.MAX_SAFE_INTEGER);
    return turn;
  }
}

function byId(a: ColleagueInfo, b: ColleagueInfo): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
