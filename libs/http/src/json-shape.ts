import type { ErrorDetail } from '@mediator/core';

/** `server.max_json_depth`: how many objects and arrays a payload may nest (the payload is one). */
export const DEFAULT_MAX_JSON_DEPTH = 64;

const limits = { maxJsonDepth: DEFAULT_MAX_JSON_DEPTH };

/**
 * Set once at start-up from the configuration. A module setting rather than an injected one
 * because the Socket.IO and Kafka edges validate with a plain function (validateDto).
 */
export function configureJsonLimits(options: { maxJsonDepth: number }): void {
  limits.maxJsonDepth = options.maxJsonDepth;
}

export function maxJsonDepth(): number {
  return limits.maxJsonDepth;
}

/** Names of Object.prototype members: never DTO fields, and they break class-transformer. */
const PROTOTYPE_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));

interface Pending {
  value: unknown;
  depth: number;
  /** The top-level field the value sits in ('' for the payload itself). */
  field: string;
  opaque: boolean;
}

/**
 * The first reason a parsed JSON payload cannot go to class-transformer, or undefined: nesting
 * deeper than `maxDepth`, a `__proto__` key anywhere (as Fastify's parser refuses it on REST), or
 * a key named like an Object.prototype member outside the `opaque` fields. A loop with its own
 * stack, so a payload nested thousands of levels deep costs no call stack.
 */
export function jsonShapeProblem(
  payload: object,
  opaque: ReadonlySet<string>,
  maxDepth: number,
): ErrorDetail | undefined {
  const stack: Pending[] = [{ value: payload, depth: 1, field: '', opaque: false }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, depth, field, opaque: inOpaque } = next;
    if (depth > maxDepth)
      return { field, problem: `nests objects and arrays deeper than ${maxDepth} levels` };
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((item: unknown) => [field, item])
      : Object.entries(value as object);
    for (const [key, child] of entries) {
      const childField = field || key;
      if (!Array.isArray(value)) {
        const problem = keyProblem(key, inOpaque);
        if (problem) return { field: childField, problem };
      }
      if (child === null || typeof child !== 'object') continue;
      const opaqueChild = inOpaque || (!field && opaque.has(key));
      stack.push({ value: child, depth: depth + 1, field: childField, opaque: opaqueChild });
    }
  }
  return undefined;
}

function keyProblem(key: string, inOpaque: boolean): string | undefined {
  if (key === '__proto__') return 'must not contain a __proto__ key';
  if (!inOpaque && PROTOTYPE_MEMBERS.has(key)) return `property ${key} should not exist`;
  return undefined;
}
