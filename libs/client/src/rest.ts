import { createClient, createConfig, type Client } from './generated/client';
import { MediatorApi } from './generated/sdk.gen';
import type { ClientOptions } from './generated/types.gen';
import { errorFromResponse } from './errors';
import { currentToken, type TokenSource } from './token';

export interface RestOptions {
  /** A fetch to use instead of globalThis.fetch (tests, proxies, instrumentation). */
  fetch?: typeof fetch;
}

/**
 * Every REST operation of the service's OpenAPI document, typed from it (src/generated):
 * `api.mediators.create({ body })`, `api.tasks.claim({ path, body })`, … Each call resolves to the
 * response body and throws a MediatorApiError subclass for an error response.
 */
export function createRestApi(
  baseUrl: string,
  token: TokenSource,
  options: RestOptions = {},
): { api: MediatorApi; client: Client } {
  const client = createClient(
    createConfig<ClientOptions>({
      baseUrl: baseUrl.replace(/\/+$/, ''),
      throwOnError: true,
      auth: () => currentToken(token),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  );
  client.interceptors.error.use((error, response) =>
    // No response: the request never got one (network); the fetch error says why.
    response ? errorFromResponse(error, response) : error,
  );
  return { api: new MediatorApi({ client }), client };
}
