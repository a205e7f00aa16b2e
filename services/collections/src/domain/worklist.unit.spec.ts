import { pickCollector, priorityScore, type AssignmentRules } from './worklist';

const rules: AssignmentRules = {
  rules: [
    { collector: 'legal-desk', minOverdueMinor: '10000000' },
    { collector: 'anna', businessUnit: 'EU', creditClass: 'D' },
  ],
  roundRobin: ['carl', 'bert'],
};

describe('assignment rules', () => {
  it('gives the case to the first rule that matches: an amount band before a unit and class', () => {
    expect(pickCollector(rules, { businessUnit: 'EU', creditClass: 'D', overdueMinor: 10000000n }, new Map())).toBe('legal-desk');
    expect(pickCollector(rules, { businessUnit: 'EU', creditClass: 'D', overdueMinor: 9999999n }, new Map())).toBe('anna');
  });

  it('gives a case no rule takes to the least-loaded collector of the round robin, ties by name', () => {
    const subject = { businessUnit: 'US', creditClass: 'B', overdueMinor: 100n };
    expect(pickCollector(rules, subject, new Map())).toBe('bert');
    expect(pickCollector(rules, subject, new Map([['bert', 1]]))).toBe('carl');
    expect(pickCollector({ rules: [], roundRobin: [] }, subject, new Map())).toBeNull();
  });
});

describe('worklist priority', () => {
  it('puts more money first, then raises older debts, worse classes and broken promises', () => {
    expect(priorityScore(200000n, 2, 'B', 10, 0)).toBeGreaterThan(priorityScore(100000n, 2, 'B', 10, 0));
    expect(priorityScore(100000n, 2, 'B', 60, 0)).toBeGreaterThan(priorityScore(100000n, 2, 'B', 10, 0));
    expect(priorityScore(100000n, 2, 'D', 10, 0)).toBeGreaterThan(priorityScore(100000n, 2, 'A', 10, 0));
    expect(priorityScore(100000n, 2, 'B', 10, 1)).toBe(2 * priorityScore(100000n, 2, 'B', 10, 0));
  });
});
