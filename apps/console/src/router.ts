import type { View } from './context';
import { auditView } from './views/audit';
import { colleagueView } from './views/colleague';
import { kindsView } from './views/kinds';
import { mediatorView } from './views/mediator';
import { overviewView } from './views/overview';

export interface Route {
  view: View;
  params: string[];
  query: URLSearchParams;
  /** The mediator and colleague the route shows, for the token's binding check. */
  mediator?: string;
  colleague?: string;
}

const PATTERNS: [RegExp, View][] = [
  [/^\/m\/([^/]+)\/c\/([^/]+)\/msg\/([^/]+)$/, colleagueView],
  [/^\/m\/([^/]+)\/c\/([^/]+)$/, colleagueView],
  [/^\/m\/([^/]+)\/kinds$/, kindsView],
  [/^\/m\/([^/]+)$/, mediatorView],
  [/^\/audit$/, auditView],
  [/^\/?$/, overviewView],
];

/** `#/m/orders/c/billing?x=1` → the colleague view of billing in orders. */
export function routeOf(hash: string): Route | undefined {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  for (const [pattern, view] of PATTERNS) {
    const match = pattern.exec(path);
    if (!match) continue;
    const params = match.slice(1).map((p) => decodeURIComponent(p));
    const mediator = params[0];
    const colleague = view === colleagueView ? params[1] : undefined;
    return { view, params, query: new URLSearchParams(search), mediator, colleague };
  }
  return undefined;
}
