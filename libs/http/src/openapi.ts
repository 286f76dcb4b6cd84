import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

export class ErrorDetailDto {
  @ApiProperty({ example: 'name' }) field: string;
  @ApiProperty({ example: 'name must match /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/' }) problem: string;
}

/** The error body of every failed request (CONTRACT §3). */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 }) status_code: number;
  @ApiProperty({ example: 'Not Found' }) error: string;
  @ApiProperty({ example: 'MEDIATOR_NOT_FOUND', description: 'stable UPPER_SNAKE identifier' })
  code: string;
  @ApiProperty({ example: "mediator 'orders' does not exist" }) message: string;
  @ApiProperty({ example: '0b5f6f7e-3c5d-4d0e-9f57-3f0c3c1e9a10' }) request_id: string;
  @ApiPropertyOptional({ type: [ErrorDetailDto], description: 'only for VALIDATION_FAILED' })
  details?: ErrorDetailDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED, INVALID_JSON)',
  401: 'Missing, invalid or expired token (UNAUTHORIZED)',
  403: 'Token lacks the scope or is bound elsewhere (INSUFFICIENT_SCOPE, MEDIATOR_FORBIDDEN, COLLEAGUE_FORBIDDEN)',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body larger than server.body_limit (PAYLOAD_TOO_LARGE)',
  422: 'A configured limit is reached',
  429: 'Rate limit exceeded (RATE_LIMITED); see Retry-After',
  504: 'No reply in time (REQUEST_TIMEOUT)',
};

/** Documents error responses with the shared error body; `codes` adds the route's specific codes. */
export function ApiErrors(statuses: number[], codes: Partial<Record<number, string>> = {}) {
  const all = [...new Set([401, 403, 429, ...statuses])].sort();
  return applyDecorators(
    ...all.map((status) =>
      ApiResponse({
        status,
        description: codes[status]
          ? `${DESCRIPTIONS[status] ?? ''} — ${codes[status]}`
          : DESCRIPTIONS[status],
        type: ErrorResponseDto,
      }),
    ),
  );
}

/** Fields that carry any JSON value (a message, an event's data, a reply, …). */
const ANY_JSON_FIELDS = new Set(['payload', 'data', 'message', 'result', 'reply', 'content']);

type SchemaNode = Record<string, unknown>;

/**
 * TypeScript unions (`string | null`, `JsonValue`) reach Swagger's reflection as `Object`, so the
 * generated schema says `type: object` for what is a nullable string or any JSON value. This pass
 * corrects those property schemas once, where the document is built, so the document matches the
 * responses and accepts what the API accepts.
 */
export function correctReflectedTypes(
  document: { paths?: object; components?: { schemas?: Record<string, unknown> } },
  pathPatterns: Record<string, RegExp> = {},
): void {
  const schemas = document.components?.schemas ?? {};
  for (const schema of Object.values(schemas)) {
    const properties = (schema as SchemaNode).properties as Record<string, SchemaNode> | undefined;
    for (const [name, property] of Object.entries(properties ?? {}))
      correctProperty(name, property);
  }
  declareValidationRules(schemas);
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  // Request bodies reject unknown fields (CONTRACT §3): their schemas say so.
  for (const name of requestBodySchemas(paths)) {
    const schema = schemas[name] as SchemaNode | undefined;
    if (schema?.properties) schema.additionalProperties = false;
  }
  declareOptionalBodies(paths, schemas);
  declarePathPatterns(paths, pathPatterns);
}

type Operation = {
  requestBody?: {
    required?: boolean;
    content?: Record<string, { schema?: { $ref?: string } }>;
  };
  parameters?: { name: string; in: string; schema?: SchemaNode }[];
};

function bodySchemaName(operation: Operation): string | undefined {
  const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref;
  return ref?.slice(ref.lastIndexOf('/') + 1);
}

function requestBodySchemas(paths: Record<string, Record<string, Operation>>): Set<string> {
  const names = new Set<string>();
  for (const operations of Object.values(paths))
    for (const operation of Object.values(operations)) {
      const name = bodySchemaName(operation);
      if (name) names.add(name);
    }
  return names;
}

/** A body whose fields are all optional may be left out: the pipe reads no body as `{}`. */
function declareOptionalBodies(
  paths: Record<string, Record<string, Operation>>,
  schemas: Record<string, unknown>,
): void {
  for (const operations of Object.values(paths))
    for (const operation of Object.values(operations)) {
      const name = bodySchemaName(operation);
      const schema = name ? (schemas[name] as SchemaNode | undefined) : undefined;
      const required = schema?.required as string[] | undefined;
      if (schema && operation.requestBody && !required?.length)
        operation.requestBody.required = false;
    }
}

/**
 * Path parameters checked against a pattern (a mediator's `{name}`, a `{resource}`, …): keys are
 * the parameter as written in the path, optionally after the segment before it
 * (`colleagues/{id}`), since `{id}` names different things on different routes.
 */
function declarePathPatterns(
  paths: Record<string, Record<string, Operation>>,
  patterns: Record<string, RegExp>,
): void {
  for (const [path, operations] of Object.entries(paths))
    for (const operation of Object.values(operations))
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== 'path') continue;
        const key = Object.keys(patterns).find(
          (k) => k.endsWith(`{${parameter.name}}`) && path.includes(k),
        );
        if (key) parameter.schema = { ...parameter.schema, pattern: patterns[key].source };
      }
}

function correctProperty(name: string, property: SchemaNode): void {
  const alternatives = [
    property,
    ...(((property.anyOf ?? property.oneOf) as SchemaNode[] | undefined) ?? []),
  ];
  for (const node of alternatives) {
    if (node.type !== 'object' || node.properties || node.additionalProperties) continue;
    if (ANY_JSON_FIELDS.has(name)) delete node.type;
    else if (name === 'next_cursor' || typeof node.example === 'string') node.type = 'string';
  }
}

/**
 * The classes class-validator holds rules for, by name. class-validator has no public listing; its
 * storage keeps them in a Map (0.14). Should that change, no rule is declared and the OpenAPI e2e
 * test, which asserts declared limits, fails.
 */
function validatedClasses(): Map<string, new () => unknown> {
  const byTarget = (getMetadataStorage() as unknown as { validationMetadatas?: unknown })
    .validationMetadatas;
  const classes = new Map<string, new () => unknown>();
  if (!(byTarget instanceof Map)) return classes;
  for (const target of byTarget.keys())
    if (typeof target === 'function') classes.set(target.name, target as new () => unknown);
  return classes;
}

/**
 * Swagger reads `@ApiProperty`, not the class-validator rules the pipe enforces: this pass copies
 * those rules (ranges, lengths, patterns, integer, enum, array sizes) into the schema of each DTO,
 * so the document declares exactly what a request is checked against.
 */
function declareValidationRules(schemas: Record<string, unknown>): void {
  const classes = validatedClasses();
  for (const [name, schema] of Object.entries(schemas)) {
    const type = classes.get(name);
    const properties = (schema as SchemaNode).properties as Record<string, SchemaNode> | undefined;
    if (!type || !properties) continue;
    for (const rule of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) {
      const property = properties[rule.propertyName];
      if (property && !property.$ref && !property.allOf) declareRule(property, rule);
    }
  }
}

function declareRule(property: SchemaNode, rule: ValidationMetadata): void {
  const node = rule.each && property.items ? (property.items as SchemaNode) : property;
  const [constraint] = rule.constraints ?? [];
  switch (rule.name) {
    case 'min':
      node.minimum = constraint;
      break;
    case 'max':
      node.maximum = constraint;
      break;
    case 'minLength':
    case 'maxLength':
      node[rule.name] = constraint;
      break;
    case 'matches':
      node.pattern = constraint instanceof RegExp ? constraint.source : String(constraint);
      break;
    case 'isInt':
      node.type = 'integer';
      break;
    case 'isIn':
      node.enum = constraint;
      break;
    case 'arrayMaxSize':
      property.maxItems = constraint;
      break;
  }
}
