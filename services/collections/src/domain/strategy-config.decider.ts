/*
 * Dunning strategies as configuration (stream `dunning-strategy-<scope>`): one per credit class, and optionally
 * one per customer that overrides its class's. Each change is an event (who changed it, when), so a dunning run
 * can be explained afterwards; the strategy itself is validated by the planner's rules.
 */
import type { Decider } from '@arc/decider';
import { InvalidDunningStrategyError } from './collections.errors';
import { dunningStrategyProblems, type DunningStrategy } from './dunning-strategy';

export type StrategyScope = { kind: 'class'; creditClass: string } | { kind: 'customer'; customerId: string };

export const strategyStreamId = (scope: StrategyScope): string =>
  scope.kind === 'class' ? `dunning-strategy-class-${scope.creditClass}` : `dunning-strategy-customer-${scope.customerId}`;

export type SetDunningStrategy = { type: 'SetDunningStrategy'; data: { scope: StrategyScope; strategy: DunningStrategy } };
export type ClearDunningStrategy = { type: 'ClearDunningStrategy'; data: { scope: StrategyScope } };
export type StrategyCommand = SetDunningStrategy | ClearDunningStrategy;

/** Internal (stored, never published): the strategy in force for the scope from now on; null clears an override. */
export type DunningStrategySet = { type: 'DunningStrategySet'; data: { scope: StrategyScope; strategy: DunningStrategy | null } };

export type StrategyState = { strategy: DunningStrategy | null };

const same = (a: DunningStrategy | null, b: DunningStrategy | null): boolean => JSON.stringify(a) === JSON.stringify(b);

export function decideStrategy(command: StrategyCommand, state: StrategyState): DunningStrategySet[] {
  switch (command.type) {
    case 'SetDunningStrategy': {
      const problems = dunningStrategyProblems(command.data.strategy);
      if (problems.length > 0) throw new InvalidDunningStrategyError(problems);
      // Steps kept in offset order, so an equal strategy written in another order records nothing.
      const strategy = { ...command.data.strategy, steps: [...command.data.strategy.steps].sort((a, b) => a.offsetDays - b.offsetDays) };
      return same(state.strategy, strategy) ? [] : [{ type: 'DunningStrategySet', data: { scope: command.data.scope, strategy } }];
    }
    case 'ClearDunningStrategy':
      return state.strategy === null ? [] : [{ type: 'DunningStrategySet', data: { scope: command.data.scope, strategy: null } }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

export const strategyConfigDecider: Decider<StrategyCommand, DunningStrategySet, StrategyState> = {
  initialState: { strategy: null },
  decide: decideStrategy,
  evolve: (_state, event) => ({ strategy: event.data.strategy }),
};
