import { v5 } from 'uuid';

/** Fixed forever: changing it would give retried commands new event ids, and they would append twice. */
export const ARC_EVENT_ID_NAMESPACE = '11b1761c-2bc7-44a2-bd54-0b2cffbd60b7';

/** The id of the `index`-th event decided for a command: the same on every retry of that command. */
export function eventIdFor(commandId: string, index: number): string {
  return v5(`${commandId}:${index}`, ARC_EVENT_ID_NAMESPACE);
}
