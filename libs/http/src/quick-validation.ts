import { getMetadataStorage, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

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
