import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes, type ValidatorOptions } from 'class-validator';
import { ValidationProblem, type FieldError } from './problem';

/** Every failed constraint of a (possibly nested) validation result, with dotted paths. */
export function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, detail]) => ({ field, constraint, detail }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

interface NestedField {
  property: string;
  /** `@ValidateNested({ each: true })`: a list of objects; otherwise one object. */
  each: boolean;
  /** `@IsOptional()` (or another condition): may be absent or null. */
  optional: boolean;
}

const nestedFieldsCache = new WeakMap<object, NestedField[]>();

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- class-validator keys its metadata by constructor
function nestedFieldsOf(target: Function): NestedField[] {
  const cached = nestedFieldsCache.get(target);
  if (cached) return cached;
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  const optional = new Set(metadata.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName));
  const fields = metadata
    .filter((m) => m.type === ValidationTypes.NESTED_VALIDATION)
    .map((m) => ({ property: m.propertyName, each: m.each, optional: optional.has(m.propertyName) }));
  nestedFieldsCache.set(target, fields);
  return fields;
}

const isPlainObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);

const error = (property: string, constraint: string, detail: string): ValidationError => ({
  property,
  constraints: { [constraint]: detail },
  children: [],
});

/**
 * What class-validator lets through on a nested DTO field, so a handler never trusts a shape it was not
 * given: `@ValidateNested()` skips an absent value (a rule without its threshold passed as "valid"), walks
 * an array where one object is declared, and an object where a list is. Here a nested field is required
 * unless `@IsOptional()`, holds one object (or, with `each`, a list of objects), at every depth.
 */
export function nestedShapeErrors(instance: object, parent = ''): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const { property, each, optional } of nestedFieldsOf(instance.constructor)) {
    const field = parent === '' ? property : `${parent}.${property}`;
    const value = (instance as Record<string, unknown>)[property];
    if (value === undefined || value === null) {
      if (!optional) errors.push(error(field, 'isDefined', `${field} is required`));
      continue;
    }
    if (each) {
      if (!Array.isArray(value)) {
        errors.push(error(field, 'isArray', `${field} must be a list of objects`));
        continue;
      }
      value.forEach((element: unknown, index) => {
        if (isPlainObject(element)) errors.push(...nestedShapeErrors(element, `${field}.${index}`));
        else errors.push(error(`${field}.${index}`, 'isObject', `${field}.${index} must be an object`));
      });
    } else if (isPlainObject(value)) errors.push(...nestedShapeErrors(value, field));
    else errors.push(error(field, 'isObject', `${field} must be an object`));
  }
  return errors;
}

/** Nest's ValidationPipe with ARC's rule for nested DTO fields added to class-validator's own. */
class ArcValidationPipe extends ValidationPipe {
  protected override async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    const reported = new Set(errors.map((e) => e.property));
    // A field class-validator already refused is not reported twice.
    return [...errors, ...nestedShapeErrors(object).filter((e) => !reported.has(e.property.split('.')[0] ?? ''))];
  }
}

/**
 * The input validation of every ARC route: unknown fields are errors, not silently dropped (a typo in a
 * field name must not turn into "field not sent"), and payloads become DTO instances.
 */
export function createValidationPipe(): ValidationPipe {
  return new ArcValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // Values stay out of errors: they may be personal data and the client sent them anyway.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(fieldErrors(errors)),
  });
}
