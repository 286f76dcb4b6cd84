import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

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
export function correctReflectedTypes(document: {
  paths?: object;
  components?: { schemas?: Record<string, unknown> };
}): void {
  const schemas = document.components?.schemas ?? {};
  for (const schema of Object.values(schemas)) {
    const properties = (schema as SchemaNode).properties as Record<string, SchemaNode> | undefined;
    for (const [name, property] of Object.entries(properties ?? {}))
      correctProperty(name, property);
  }
  // Request bodies reject unknown fields (CONTRACT §3): their schemas say so.
  for (const name of requestBodySchemas((document.paths ?? {}) as Record<string, object>)) {
    const schema = schemas[name] as SchemaNode | undefined;
    if (schema?.properties) schema.additionalProperties = false;
  }
}

type Operation = { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } };

function requestBodySchemas(paths: Record<string, object>): Set<string> {
  const names = new Set<string>();
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      const ref = (operation as Operation).requestBody?.content?.['application/json']?.schema?.$ref;
      if (ref) names.add(ref.slice(ref.lastIndexOf('/') + 1));
    }
  }
  return names;
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
