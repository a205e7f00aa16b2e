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
    expect(priorityScore(100000n, 2, 'B', 10, 1)).toBe(2n * priorityScore(100000n, 2, 'B', 10, 0));
  });

  it('is exact integer arithmetic: 1,000.00 EUR of class C 30 days past due is 1,000 × 2 × 2 scaled by 600,000', () => {
    expect(priorityScore(100000n, 2, 'C', 30, 0)).toBe(1000n * 2n * 2n * 600_000n);
    // The same amount in a currency without minor units, and with three, weighs the same.
    expect(priorityScore(1000n, 0, 'C', 30, 0)).toBe(priorityScore(100000n, 2, 'C', 30, 0));
    expect(priorityScore(1000000n, 3, 'C', 30, 0)).toBe(priorityScore(100000n, 2, 'C', 30, 0));
    // Beyond 2^53 a float would round; the integer keeps the last unit apart.
    const huge = 999_999_999_999_999n;
    expect(priorityScore(huge, 2, 'D', 365, 3) - priorityScore(huge - 1n, 2, 'D', 365, 3)).toBe(100n * 6n * 395n * 4n);
  });
});
