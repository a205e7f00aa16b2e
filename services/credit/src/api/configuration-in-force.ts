import { Inject, Injectable } from '@nestjs/common';
import type { ApprovalMatrix, ScoringModel } from '@arc/contracts';
import { Commands } from '@arc/platform';
import { APPROVAL_MATRIX_STREAM, approvalMatrixDecider } from '../domain/approval/approval-matrix.decider';
import { DEFAULT_APPROVAL_MATRIX } from '../domain/approval/approval-matrix';
import { DEFAULT_SCORING_MODEL } from '../domain/scoring/default-scoring-model';
import { SCORING_MODEL_STREAM, currentModel, scoringModelDecider, type ScoringModels } from '../domain/scoring/scoring-model.decider';
import { CREDIT_SYSTEM_ACTOR } from '../commands/system-actor';

/**
 * The scoring model and approval matrix in force, read from their streams. A fresh installation has
 * neither: the first read publishes the defaults as version 1 (fixed command ids, so concurrent first
 * reads append them once).
 */
@Injectable()
export class ConfigurationInForce {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  async scoringModels(): Promise<ScoringModels> {
    const { state } = await this.commands.load(scoringModelDecider, SCORING_MODEL_STREAM);
    if (state.currentVersion > 0) return state;
    const { newState } = await this.commands.execute(scoringModelDecider, {
      streamId: SCORING_MODEL_STREAM,
      customerId: SCORING_MODEL_STREAM,
      commandId: 'default-scoring-model',
      actor: CREDIT_SYSTEM_ACTOR,
      occurredAt: new Date().toISOString(),
      command: { type: 'PublishScoringModel', data: { model: DEFAULT_SCORING_MODEL, note: 'the default model ARC ships' } },
    });
    return newState;
  }

  async scoringModel(): Promise<{ version: number; model: ScoringModel }> {
    const models = await this.scoringModels();
    const current = currentModel(models);
    if (current === null) throw new Error('the default scoring model was not published');
    return current;
  }

  async approvalMatrix(): Promise<{ version: number; matrix: ApprovalMatrix }> {
    const { state } = await this.commands.load(approvalMatrixDecider, APPROVAL_MATRIX_STREAM);
    if (state.matrix !== null) return { version: state.version, matrix: state.matrix };
    const { newState } = await this.commands.execute(approvalMatrixDecider, {
      streamId: APPROVAL_MATRIX_STREAM,
      customerId: APPROVAL_MATRIX_STREAM,
      commandId: 'default-approval-matrix',
      actor: CREDIT_SYSTEM_ACTOR,
      occurredAt: new Date().toISOString(),
      command: { type: 'SetApprovalMatrix', data: { matrix: DEFAULT_APPROVAL_MATRIX, note: 'the default matrix ARC ships' } },
    });
    return { version: newState.version, matrix: newState.matrix ?? DEFAULT_APPROVAL_MATRIX };
  }
}
