/** A bearer token, or where to get the current one (called again for every reconnect). */
export type TokenSource = string | (() => string | Promise<string>);

export function currentToken(source: TokenSource): Promise<string> {
  return Promise.resolve(typeof source === 'function' ? source() : source);
}

/**
 * The `mediator` and `colleague` claims of a JWT, read without verifying it (the service does
 * that): a client bound by its token need not repeat the binding.
 */
export function bindingOf(token: string): { mediator?: string; colleague?: string } {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { mediator?: unknown; colleague?: unknown };
    return {
      mediator: typeof claims.mediator === 'string' ? claims.mediator : undefined,
      colleague: typeof claims.colleague === 'string' ? claims.colleague : undefined,
    };
  } catch {
    return {};
  }
}
