/*
 * The scoring model (stream `credit-scoring-model`): versioned configuration that risk managers publish.
 * Every version is kept, so an assessment can always be explained by the model it recorded; a new
 * version changes new assessments only.
 */
import { validated, ScoringModelEvents, scoringModelProblems, type ScoringModel, type ScoringModelEvent } from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { InvalidScoringModelError } from './scoring.errors';

export const SCORING_MODEL_STREAM = 'credit-scoring-model';

export type PublishScoringModel = { type: 'PublishScoringModel'; data: { model: ScoringModel; note: string } };
export type ScoringModelCommand = PublishScoringModel;

export interface ScoringModels {
  /** 0 before the first publication. */
  currentVersion: number;
  versions: ReadonlyMap<number, ScoringModel>;
}

export const initialScoringModels: ScoringModels = { currentVersion: 0, versions: new Map() };

export function currentModel(state: ScoringModels): { version: number; model: ScoringModel } | null {
  const model = state.versions.get(state.currentVersion);
  return model === undefined ? null : { version: state.currentVersion, model };
}

export function decide(command: ScoringModelCommand, state: ScoringModels): ScoringModelEvent[] {
  const { model, note } = command.data;
  const problems = scoringModelProblems(model);
  if (problems.length > 0) throw new InvalidScoringModelError(problems);
  const current = currentModel(state);
  // Publishing the model already in force changes nothing (no new version for a repeat).
  if (current !== null && JSON.stringify(current.model) === JSON.stringify(model)) return [];
  return validated(ScoringModelEvents, [{ type: 'ScoringModelPublished', data: { version: state.currentVersion + 1, model, note } }]);
}

export function evolve(state: ScoringModels, event: ScoringModelEvent): ScoringModels {
  const versions = new Map(state.versions);
  versions.set(event.data.version, event.data.model);
  return { currentVersion: event.data.version, versions };
}

export const scoringModelDecider: Decider<ScoringModelCommand, ScoringModelEvent, ScoringModels> = {
  initialState: initialScoringModels,
  decide,
  evolve,
};
