/*
 * The approval matrix (stream `credit-approval-matrix`): versioned configuration risk managers set. A limit
 * request records the requirement the matrix gave when it was made, so a later matrix never changes a
 * pending request.
 */
import { validated, ApprovalMatrixEvents, approvalMatrixProblems, type ApprovalMatrix, type ApprovalMatrixEvent } from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { InvalidApprovalMatrixError } from '../customer-account/limit-request.errors';

export const APPROVAL_MATRIX_STREAM = 'credit-approval-matrix';

export type SetApprovalMatrix = { type: 'SetApprovalMatrix'; data: { matrix: ApprovalMatrix; note: string } };

export interface ApprovalMatrixState {
  /** 0 before the first one is set. */
  version: number;
  matrix: ApprovalMatrix | null;
}

export const initialApprovalMatrix: ApprovalMatrixState = { version: 0, matrix: null };

export function decide(command: SetApprovalMatrix, state: ApprovalMatrixState): ApprovalMatrixEvent[] {
  const { matrix, note } = command.data;
  const problems = approvalMatrixProblems(matrix);
  if (problems.length > 0) throw new InvalidApprovalMatrixError(problems);
  if (state.matrix !== null && JSON.stringify(state.matrix) === JSON.stringify(matrix)) return [];
  return validated(ApprovalMatrixEvents, [{ type: 'ApprovalMatrixSet', data: { version: state.version + 1, matrix, note } }]);
}

export function evolve(_state: ApprovalMatrixState, event: ApprovalMatrixEvent): ApprovalMatrixState {
  return { version: event.data.version, matrix: event.data.matrix };
}

export const approvalMatrixDecider: Decider<SetApprovalMatrix, ApprovalMatrixEvent, ApprovalMatrixState> = {
  initialState: initialApprovalMatrix,
  decide,
  evolve,
};
