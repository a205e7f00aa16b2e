import { eventRegistry, type ArcEventType } from '../registry';

/** The validator's problems for a payload, [] when it is valid. */
export function problemsOf(type: ArcEventType, data: unknown): string[] {
  const result = eventRegistry[type].validate(data);
  return result.ok ? [] : result.problems;
}
