/* The assignment rules in force (stream `assignment-rules`): each change an event, as for strategies. */
import type { Decider } from '@arc/decider';
import type { AssignmentRules } from './worklist';

export const ASSIGNMENT_RULES_STREAM = 'assignment-rules';

export type SetAssignmentRules = { type: 'SetAssignmentRules'; data: AssignmentRules };
/** Internal (stored, never published). */
export type AssignmentRulesSet = { type: 'AssignmentRulesSet'; data: AssignmentRules };

export const assignmentRulesDecider: Decider<SetAssignmentRules, AssignmentRulesSet, AssignmentRules> = {
  initialState: { rules: [], roundRobin: [] },
  decide: (command, state) =>
    JSON.stringify(command.data) === JSON.stringify(state) ? [] : [{ type: 'AssignmentRulesSet', data: command.data }],
  evolve: (_state, event) => event.data,
};
