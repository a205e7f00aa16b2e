import { given } from '@arc/decider/testing';
import { DEFAULT_SCORING_MODEL } from './default-scoring-model';
import { currentModel, scoringModelDecider as decider } from './scoring-model.decider';
import { InvalidScoringModelError } from './scoring.errors';

const published = (version: number, model = DEFAULT_SCORING_MODEL, note = 'default') => ({
  type: 'ScoringModelPublished' as const,
  data: { version, model, note },
});
const stricter = { ...DEFAULT_SCORING_MODEL, classCutOffs: { A: 85, B: 70, C: 50 } };

describe('scoring model', () => {
  it('publishes the first model as version 1', () => {
    given(decider)
      .when({ type: 'PublishScoringModel', data: { model: DEFAULT_SCORING_MODEL, note: 'default' } })
      .then([published(1)]);
  });

  it('publishes a changed model as the next version and keeps the earlier one', () => {
    given(decider, [published(1)])
      .when({ type: 'PublishScoringModel', data: { model: stricter, note: 'stricter' } })
      .then([published(2, stricter, 'stricter')]);
    const state = [published(1), published(2, stricter)].reduce(decider.evolve, decider.initialState);
    expect(currentModel(state)?.version).toBe(2);
    expect(state.versions.get(1)).toEqual(DEFAULT_SCORING_MODEL);
  });

  it('publishes nothing when the model in force is published again', () => {
    given(decider, [published(1)])
      .when({ type: 'PublishScoringModel', data: { model: DEFAULT_SCORING_MODEL, note: 'again' } })
      .thenNothingHappens();
  });

  it('refuses a model whose weights do not sum to 100 %, listing the problem', () => {
    const broken = { ...DEFAULT_SCORING_MODEL, factors: DEFAULT_SCORING_MODEL.factors.map((f) => ({ ...f, weightPercent: 10 })) };
    const error = given(decider)
      .when({ type: 'PublishScoringModel', data: { model: broken, note: 'x' } })
      .thenThrows(InvalidScoringModelError);
    expect(error.message).toContain('factor weights must sum to 100 % (they sum to 50)');
  });
});
