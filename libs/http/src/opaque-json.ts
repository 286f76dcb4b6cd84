import { Allow, buildMessage, ValidateBy } from 'class-validator';

/** DTO class → its own marked fields; a class inherits its parents' (read up the chain). */
type FieldRegistry = WeakMap<object, Set<string>>;
const OPAQUE_FIELDS: FieldRegistry = new WeakMap();
const NULLABLE_FIELDS: FieldRegistry = new WeakMap();

function mark(registry: FieldRegistry, target: object, property: string | symbol): void {
  const own = registry.get(target.constructor) ?? new Set<string>();
  own.add(String(property));
  registry.set(target.constructor, own);
}

function marked(registry: FieldRegistry, type: object): ReadonlySet<string> {
  const fields = new Set<string>();
  for (let t: object | null = type; t && t !== Function.prototype; t = Object.getPrototypeOf(t))
    registry.get(t)?.forEach((field) => fields.add(field));
  return fields;
}

/**
 * Marks a top-level DTO field that carries any JSON value (a message, an event's data, metadata):
 * it is kept exactly as received, never run through class-transformer, which would rebuild it and
 * lose keys named like Object.prototype members (`constructor`, `toString`, …). Class-validator
 * rules on the field (`@IsObject()`, `@IsOptional()`) still apply to the value as received.
 * `required`: the field must be present. `null` is a JSON value, so it is accepted (and counts as
 * present) unless `nullable: false`, for fields that must be objects (metadata, headers).
 */
export function OpaqueJson(
  options: { required?: boolean; nullable?: boolean } = {},
): PropertyDecorator {
  return (target, property) => {
    mark(OPAQUE_FIELDS, target, property);
    if (options.nullable !== false) mark(NULLABLE_FIELDS, target, property);
    (options.required ? IsPresent() : Allow())(target, property);
  };
}

/**
 * Marks an optional field for which `null` is a value (e.g. "no endpoint"). Elsewhere a `null`
 * is refused rather than read as "absent": the services give absence a default, not null.
 */
export function Nullable(): PropertyDecorator {
  return (target, property) => mark(NULLABLE_FIELDS, target, property);
}

/** The opaque fields of a DTO class, its parents' included. */
export function opaqueFieldsOf(type: object): ReadonlySet<string> {
  return marked(OPAQUE_FIELDS, type);
}

/** The fields of a DTO class that take null. */
export function nullableFieldsOf(type: object): ReadonlySet<string> {
  return marked(NULLABLE_FIELDS, type);
}

function IsPresent(): PropertyDecorator {
  return ValidateBy({
    name: 'isPresent',
    validator: {
      validate: (value) => value !== undefined,
      defaultMessage: buildMessage((each) => `${each}$property is required`),
    },
  });
}
