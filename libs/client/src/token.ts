/** A bearer token, or where to get the current one (called again for every reconnect). */
export type TokenSource = string | (() => string | Promise<string>);

export function currentToken(source: TokenSource): Promise<string> {
  return Promise.resolve(typeof source === 'function' ? source() : source);
}
