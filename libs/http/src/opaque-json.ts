import { Allow, buildMessage, ValidateBy } from 'class-validator';

/** DTO class → its own opaque fields; a class inherits its parents' (read up the chain). */
const OPAQUE_FIELDS = new WeakMap<object, Set<string>>();

/**
 * Marks a top-level DTO field that carries any JSON value (a message, an event's data, metadata):
 * it is kept exactly as received, never run through class-transformer, which would rebuild it and
 * lose keys named like Object.prototype members (`constructor`, `toString`, …). Class-validator
 * rules on the field (`@IsObject()`, `@IsOptional()`) still apply to the value as received.
 * `required`: the field must be present; `null` counts as present, it is a JSON value too.
 */
export function OpaqueJson(options: { required?: boolean } = {}): PropertyDecorator {
  return (target, property) => {
    const type = target.constructor;
    const own = OPAQUE_FIELDS.get(type) ?? new Set<string>();
    own.add(String(property));
    OPAQUE_FIELDS.set(type, own);
    (options.required ? IsPresent() : Allow())(target, property);
  };
}

/** The opaque fields of a DTO class, its parents' included. */
export function opaqueFieldsOf(type: object): ReadonlySet<string> {
  const fields = new Set<string>();
  for (let t: object | null = type; t && t !== Function.prototype; t = Object.getPrototypeOf(t))
    OPAQUE_FIELDS.get(t)?.forEach((field) => fields.add(field));
  return fields;
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
