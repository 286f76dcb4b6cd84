import { TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformerMetadata } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

// class-transformer's decorators record into this store; the package has no typed entry for it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TransformerMetadata;
};

/** Answers "would class-validator find no error on this instance?", or `undefined`: don't know. */
type Acceptor = (instance: object) => boolean | undefined;

interface Rule {
  readonly metadata: ValidationMetadata;
  readonly validators: readonly { validate(value: unknown, args: ValidationArguments): unknown }[];
}

interface PropertyRules {
  readonly property: string;
  /** IsOptional, ValidateIf: when one says no, the property is not validated. */
  readonly conditions: readonly ValidationMetadata[];
  /** IsDefined, then the custom validators (IsString, Matches, …), in class-validator's order. */
  readonly rules: readonly Rule[];
}

const SUPPORTED = new Set([
  'customValidation',
  'conditionalValidation',
  'isDefined',
  'whitelistValidation',
]);
const acceptors = new WeakMap<object, Acceptor | null>();
/** Per DTO class: its rule-bearing fields, when class-transformer changes none of them; else null. */
const plainClasses = new WeakMap<object, ReadonlySet<string> | null>();

/**
 * The valid case without class-validator's bookkeeping. validateSync looks up a class's rules on
 * every call (walking every decorated class for inherited ones), builds an error object per
 * property and groups them: on the send path that was 5 % of the CPU, for a body that is almost
 * always valid. The rules are read once per class here and run directly, with class-validator's
 * own validators and its semantics for the options the service uses (`whitelist`,
 * `forbidNonWhitelisted`, no groups, no skipping). It only ever says "valid" when class-validator
 * would; anything else (an error, a rule it does not model: nested DTOs, `each`, groups, async
 * validators) goes to validateSync, so every error keeps its exact wording.
 */
export function quicklyValid(type: new () => object, instance: object): boolean {
  let accept = acceptors.get(type);
  if (accept === undefined) {
    accept = compile(type);
    acceptors.set(type, accept);
  }
  return accept?.(instance) === true;
}

function compile(type: new () => object): Acceptor | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(type, '', false, false, undefined);
  if (metadatas.length === 0) return null;
  const modelled = metadatas.every(
    (m) => SUPPORTED.has(m.type) && !m.each && !m.always && !m.groups?.length,
  );
  if (!modelled) return null;
  const grouped = storage.groupByPropertyName(metadatas);
  const rule = (metadata: ValidationMetadata): Rule | null => {
    const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
    if (constraints.some((c) => c.async)) return null;
    return { metadata, validators: constraints.map((c) => c.instance) };
  };
  const properties: PropertyRules[] = [];
  for (const [property, own] of Object.entries(grouped)) {
    const rules = [
      ...own.filter((m) => m.type === 'isDefined'),
      ...own.filter((m) => m.type === 'customValidation'),
    ].map(rule);
    if (rules.some((r) => r === null)) return null;
    properties.push({
      property,
      conditions: own.filter((m) => m.type === 'conditionalValidation'),
      rules: rules as Rule[],
    });
  }
  const allowed = new Set(Object.keys(grouped));
  return (instance) => accepts(instance, type.name, allowed, properties);
}

function accepts(
  instance: object,
  targetName: string,
  allowed: ReadonlySet<string>,
  properties: readonly PropertyRules[],
): boolean | undefined {
  // forbidNonWhitelisted: a property without any rule is an error.
  for (const key of Object.keys(instance)) if (!allowed.has(key)) return false;
  const values = instance as Record<string, unknown>;
  for (const { property, conditions, rules } of properties) {
    const value = values[property];
    if (!conditions.every((c) => (c.constraints[0] as Condition)(instance, value))) continue;
    for (const { metadata, validators } of rules)
      for (const validator of validators) {
        const args = {
          targetName,
          property,
          object: instance,
          value,
          constraints: metadata.constraints,
        };
        const valid = validator.validate(value, args);
        if (valid instanceof Promise) return undefined;
        if (!valid) return false;
      }
  }
  return true;
}

type Condition = (object: object, value: unknown) => boolean;

/**
 * The instance plainToInstance would build, built directly, or `undefined`: don't know. Only for
 * a class whose fields class-transformer leaves alone (no @Type, @Transform, @Expose, @Exclude),
 * and fields it knows holding strings, numbers or booleans, which plainToInstance copies as they
 * are (its walk over the object, key by key, was 2.5 % of a send's CPU). Anything else (an
 * unknown field, an object, a name on the prototype) goes through plainToInstance.
 */
export function quicklyBuilt<T extends object>(
  type: new () => T,
  fields: readonly (readonly [string, unknown])[],
): T | undefined {
  let plain = plainClasses.get(type);
  if (plain === undefined) {
    plain = untransformedFields(type);
    plainClasses.set(type, plain);
  }
  if (!plain) return undefined;
  for (const [key, value] of fields) {
    const kind = typeof value;
    if (!plain.has(key) || (kind !== 'string' && kind !== 'number' && kind !== 'boolean'))
      return undefined;
  }
  const instance = new type() as Record<string, unknown>;
  for (const [key, value] of fields) instance[key] = value;
  return instance as T;
}

function untransformedFields(type: new () => object): ReadonlySet<string> | null {
  const storage = defaultMetadataStorage;
  if (
    storage.getStrategy(type) !== 'none' ||
    storage.getExposedMetadatas(type).length > 0 ||
    storage.getExcludedMetadatas(type).length > 0
  )
    return null;
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(type, '', false, false);
  const fields = new Set(metadatas.map((m) => m.propertyName));
  for (const field of fields)
    if (
      field in type.prototype ||
      storage.findTypeMetadata(type, field) ||
      storage.findTransformMetadatas(type, field, TransformationType.PLAIN_TO_CLASS).length > 0
    )
      return null;
  return fields;
}
