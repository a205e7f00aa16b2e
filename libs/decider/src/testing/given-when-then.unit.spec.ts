import { AssertionError } from 'node:assert';
import type { Decider } from '../decider';
import { given } from './given-when-then';

type CounterCommand = { type: 'Add'; data: { by: number } } | { type: 'Reset'; data: Record<string, never> };
type CounterEvent = { type: 'Added'; data: { by: number } } | { type: 'WasReset'; data: Record<string, never> };
class NegativeAmountError extends Error {}

const counter: Decider<CounterCommand, CounterEvent, number> = {
  initialState: 0,
  decide(command, total) {
    switch (command.type) {
      case 'Add':
        if (command.data.by < 0) throw new NegativeAmountError(`cannot add ${command.data.by}`);
        return [{ type: 'Added', data: { by: command.data.by } }];
      case 'Reset':
        return total === 0 ? [] : [{ type: 'WasReset', data: {} }];
    }
  },
  evolve: (total, event) => (event.type === 'Added' ? total + event.data.by : 0),
};

describe('given/when/then', () => {
  it('passes when the command decides exactly the expected events', () => {
    given(counter)
      .when({ type: 'Add', data: { by: 2 } })
      .then([{ type: 'Added', data: { by: 2 } }]);
  });

  it('folds the given events into the state the command is decided on', () => {
    given(counter, [{ type: 'Added', data: { by: 3 } }])
      .when({ type: 'Reset', data: {} })
      .then([{ type: 'WasReset', data: {} }]);
    given(counter).when({ type: 'Reset', data: {} }).thenNothingHappens();
  });

  it('fails with an assertion error showing both sides when other events are decided', () => {
    const failing = () =>
      given(counter)
        .when({ type: 'Add', data: { by: 2 } })
        .then([{ type: 'Added', data: { by: 3 } }]);
    expect(failing).toThrow(AssertionError);
    expect(failing).toThrow(/Add decided other events than expected[\s\S]*by: 3/);
  });

  it('fails when nothing was expected but events were decided', () => {
    expect(() =>
      given(counter)
        .when({ type: 'Add', data: { by: 1 } })
        .thenNothingHappens(),
    ).toThrow(AssertionError);
  });

  it('accepts the expected error by class, message fragment or pattern, and returns it', () => {
    const add = { type: 'Add', data: { by: -1 } } as const;
    expect(given(counter).when(add).thenThrows(NegativeAmountError)).toBeInstanceOf(NegativeAmountError);
    given(counter).when(add).thenThrows('cannot add -1');
    given(counter)
      .when(add)
      .thenThrows(/cannot add/);
  });

  it('fails when the command does not throw, or throws another error', () => {
    expect(() =>
      given(counter)
        .when({ type: 'Add', data: { by: 1 } })
        .thenThrows(NegativeAmountError),
    ).toThrow(/expected to throw a NegativeAmountError but decided/);
    expect(() =>
      given(counter)
        .when({ type: 'Add', data: { by: -1 } })
        .thenThrows(TypeError),
    ).toThrow(/threw Error: cannot add -1, expected a TypeError/);
    expect(() =>
      given(counter)
        .when({ type: 'Add', data: { by: -1 } })
        .thenThrows('other words'),
    ).toThrow(AssertionError);
  });

  it('refuses to be awaited, since it is synchronous', async () => {
    await expect(
      (async () => {
        await (given(counter).when({ type: 'Add', data: { by: 1 } }) as unknown);
      })(),
    ).rejects.toThrow(/synchronous/);
  });
});
