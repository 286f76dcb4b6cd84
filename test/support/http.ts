// A small fetch wrapper: every call returns status, headers and the parsed JSON body.

/** Parsed JSON as tests read it: field access without a cast on every line. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
export interface Reply<T = Json> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface Api {
  get<T = Json>(path: string): Promise<Reply<T>>;
  post<T = Json>(path: string, body?: unknown): Promise<Reply<T>>;
  patch<T = Json>(path: string, body?: unknown): Promise<Reply<T>>;
  put<T = Json>(path: string, body?: unknown): Promise<Reply<T>>;
  delete<T = Json>(path: string): Promise<Reply<T>>;
  /** Anything else: raw body, own headers. */
  raw<T = Json>(
    method: string,
    path: string,
    init?: { body?: string; headers?: Record<string, string> },
  ): Promise<Reply<T>>;
}

export async function request<T = Json>(
  url: string,
  method: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const res = await fetch(url, { method, body: init.body, headers: init.headers });
  const text = await res.text();
  let body: Json = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** Calls `${base}/api/v1…` with the bearer token (none when undefined). */
export function api(base: string, bearer?: string): Api {
  const auth: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
  const json = (method: string) => (path: string, body?: unknown) =>
    request(`${base}/api/v1${path}`, method, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
  return {
    get: (path) => request(`${base}/api/v1${path}`, 'GET', { headers: auth }),
    post: json('POST'),
    patch: json('PATCH'),
    put: json('PUT'),
    delete: (path) => request(`${base}/api/v1${path}`, 'DELETE', { headers: auth }),
    raw: (method, path, init = {}) =>
      request(`${base}${path}`, method, { body: init.body, headers: { ...auth, ...init.headers } }),
  };
}

/** The error body of CONTRACT §3, exactly. */
export function expectError(reply: Reply, status: number, code?: string): void {
  expect({ status: reply.status, code: reply.body?.code }).toEqual({
    status,
    code: code ?? reply.body?.code,
  });
  expect(reply.body).toEqual(
    expect.objectContaining({
      status_code: status,
      error: expect.any(String),
      code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/),
      message: expect.any(String),
      request_id: expect.any(String),
    }),
  );
  expect(reply.body.request_id).not.toBe('');
  expect(reply.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
}

/** Polls until the check passes (for effects that land asynchronously: acks, presence, audit). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
