import { ValidationProblem } from '@arc/platform';

type ShapeCheck = (value: unknown, path: string, problems: string[]) => void;

/**
 * Checks a nested body part (a scoring model, assessment inputs) with its event contract's own validator,
 * so the API accepts exactly what the event will: 400 problem+json listing every problem, nothing appended.
 */
export function assertShape<T>(check: ShapeCheck, value: unknown, field: string): T {
  const problems: string[] = [];
  check(value, field, problems);
  if (problems.length > 0) throw new ValidationProblem(problems.map((detail) => ({ field, constraint: 'contract', detail })));
  return value as T;
}
