import { given } from '@arc/decider/testing';
import { DEFAULT_APPROVAL_MATRIX, levelNeededNext } from './approval-matrix';
import { approvalMatrixDecider as decider } from './approval-matrix.decider';
import { InvalidApprovalMatrixError } from '../customer-account/limit-request.errors';

describe('approval matrix', () => {
  const set = (version: number, matrix = DEFAULT_APPROVAL_MATRIX) => ({
    type: 'ApprovalMatrixSet' as const,
    data: { version, matrix, note: 'n' },
  });

  it('sets the matrix as a new version, and a repeat as nothing', () => {
    given(decider)
      .when({ type: 'SetApprovalMatrix', data: { matrix: DEFAULT_APPROVAL_MATRIX, note: 'n' } })
      .then([set(1)]);
    given(decider, [set(1)])
      .when({ type: 'SetApprovalMatrix', data: { matrix: DEFAULT_APPROVAL_MATRIX, note: 'again' } })
      .thenNothingHappens();
  });

  it('refuses a matrix that leaves large amounts of a class without an approver', () => {
    const matrix = { ...DEFAULT_APPROVAL_MATRIX, rules: DEFAULT_APPROVAL_MATRIX.rules.slice(0, 3) };
    given(decider)
      .when({ type: 'SetApprovalMatrix', data: { matrix, note: 'n' } })
      .thenThrows(InvalidApprovalMatrixError);
  });

  it('asks the last approval for the final level only when nobody reached it yet', () => {
    const twoOneAtThree = { approvals: 2, minimumLevel: 2, finalLevel: 3 };
    expect(levelNeededNext(twoOneAtThree, [])).toBe(2);
    expect(levelNeededNext(twoOneAtThree, [{ subject: 'a', level: 2 }])).toBe(3);
    expect(levelNeededNext(twoOneAtThree, [{ subject: 'a', level: 3 }])).toBe(2);
  });
});
