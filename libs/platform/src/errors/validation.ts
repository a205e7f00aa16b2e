import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationProblem, type FieldError } from './problem';

/** Every failed constraint of a (possibly nested) validation result, with dotted paths. */
export function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, detail]) => ({ field, constraint, detail }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/**
 * The input validation of every ARC route: unknown fields are errors, not silently dropped (a typo in a
 * field name must not turn into "field not sent"), and payloads become DTO instances.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // Values stay out of errors: they may be personal data and the client sent them anyway.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(fieldErrors(errors)),
  });
}
