import { SAMPLE_SCORING_MODEL } from './testing/credit-samples';
import { problemsOf } from './testing/problems';
import { samples, variant } from './testing/samples';

const eur = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('credit management events', () => {
  describe('ScoringModelPublished', () => {
    it('refuses a model whose factor weights do not sum to 100 % and whose cut-offs are out of order', () => {
      const model = {
        ...SAMPLE_SCORING_MODEL,
        factors: SAMPLE_SCORING_MODEL.factors.map((f) => (f.factor === 'capital' ? { ...f, weightPercent: 25 } : f)),
        classCutOffs: { A: 60, B: 65, C: 45 },
      };
      expect(problemsOf('ScoringModelPublished', variant('ScoringModelPublished', { model }))).toEqual([
        'factor weights must sum to 100 % (they sum to 105)',
        'class cut-offs must satisfy A ≥ B ≥ C (got A 60, B 65, C 45)',
      ]);
    });

    it('refuses numeric bands without a catch-all last band', () => {
      const model = {
        ...SAMPLE_SCORING_MODEL,
        factors: SAMPLE_SCORING_MODEL.factors.map((f) =>
          f.factor === 'character' ? { ...f, inputs: [{ ...f.inputs[0]!, bands: [{ atLeast: 70, equals: null, points: 100 }] }] } : f,
        ),
      };
      expect(problemsOf('ScoringModelPublished', variant('ScoringModelPublished', { model }))).toEqual([
        'character.bureauScore: only the last band, and it must, have atLeast null (it catches every lower value)',
      ]);
    });

    it('refuses a model that leaves a factor out', () => {
      const model = { ...SAMPLE_SCORING_MODEL, factors: SAMPLE_SCORING_MODEL.factors.slice(0, 4) };
      expect(problemsOf('ScoringModelPublished', variant('ScoringModelPublished', { model }))).toEqual([
        'model.factors must have at least 5 items',
      ]);
    });
  });

  describe('CustomerReclassified', () => {
    it('calls a move to a later letter a downgrade, and refuses the wrong direction', () => {
      expect(problemsOf('CustomerReclassified', samples.CustomerReclassified)).toEqual([]);
      expect(problemsOf('CustomerReclassified', variant('CustomerReclassified', { direction: 'upgrade' }))).toEqual([
        "direction must be 'downgrade' from B to C",
      ]);
      expect(problemsOf('CustomerReclassified', variant('CustomerReclassified', { toClass: 'B' }))).toEqual([
        'fromClass and toClass must differ',
      ]);
    });
  });

  describe('ApprovalMatrixSet', () => {
    it('refuses a matrix that leaves a class without an approver for large amounts', () => {
      const matrix = {
        currency: 'EUR',
        rules: [{ creditClasses: ['A', 'B', 'C'], upToMinor: null, approvals: 1, minimumLevel: 1, finalLevel: 1 }],
      };
      expect(problemsOf('ApprovalMatrixSet', variant('ApprovalMatrixSet', { matrix }))).toEqual([
        'class D needs a rule without an upper bound, so every amount has an approver',
      ]);
    });

    it('refuses a final level below the minimum level and three approvals', () => {
      const matrix = {
        currency: 'EUR',
        rules: [{ creditClasses: ['A', 'B', 'C', 'D'], upToMinor: null, approvals: 3, minimumLevel: 3, finalLevel: 2 }],
      };
      expect(problemsOf('ApprovalMatrixSet', variant('ApprovalMatrixSet', { matrix }))).toEqual([
        'matrix.rules[0].approvals must be an integer from 1 to 2 (got 3)',
      ]);
    });
  });

  describe('limit requests', () => {
    it('refuses an approval recorded twice for the same person', () => {
      const approvers = [
        { subject: 'fiona', level: 2 },
        { subject: 'fiona', level: 3 },
      ];
      expect(problemsOf('CreditLimitRequestApproved', variant('CreditLimitRequestApproved', { approvers }))).toEqual([
        'approvers must be distinct people',
      ]);
    });

    it('refuses a temporary limit that ends before it was requested', () => {
      expect(problemsOf('CreditLimitRequested', variant('CreditLimitRequested', { temporaryUntil: '2026-01-09' }))).toEqual([
        'temporaryUntil must not be before requestedOn',
      ]);
    });

    it('refuses an expiry closed on the end date itself', () => {
      expect(problemsOf('TemporaryCreditLimitExpired', variant('TemporaryCreditLimitExpired', { closedDate: '2026-03-31' }))).toEqual([
        'closedDate must be after endDate',
      ]);
    });
  });

  it('refuses a tolerance given both as a share and as an amount', () => {
    expect(problemsOf('CreditToleranceSet', variant('CreditToleranceSet', { amount: eur('100') }))).toEqual([
      'a tolerance is a share (basisPoints) or an amount, not both',
    ]);
  });

  it('refuses evidence that supersedes itself, and a hash that is not SHA-256', () => {
    const data = variant('CreditEvidenceAdded', { supersedes: samples.CreditEvidenceAdded.evidenceId, documentHash: 'abc' });
    expect(problemsOf('CreditEvidenceAdded', data)).toEqual(['documentHash must be a SHA-256 hash (64 lower-case hex digits) (got "abc")']);
    expect(
      problemsOf('CreditEvidenceAdded', variant('CreditEvidenceAdded', { supersedes: samples.CreditEvidenceAdded.evidenceId })),
    ).toEqual(['a piece of evidence cannot supersede itself']);
  });

  it('refuses a group reservation that takes the group over its limit', () => {
    expect(problemsOf('CreditGroupReservationMade', variant('CreditGroupReservationMade', { amount: eur('1000001') }))).toEqual([
      'groupExposureBefore + amount exceeds groupLimit',
    ]);
  });

  it('refuses an FX rate as a JSON number, a zero rate and a pair of one currency', () => {
    expect(problemsOf('FxRateRecorded', variant('FxRateRecorded', { rate: 0.9234 }))).toEqual([
      'rate must be a positive decimal rate as a string ("1.0845") (got 0.9234)',
    ]);
    expect(problemsOf('FxRateRecorded', variant('FxRateRecorded', { rate: '0.0000' }))).toEqual([
      'rate must be a positive decimal rate as a string ("1.0845") (got "0.0000")',
    ]);
    expect(problemsOf('FxRateRecorded', variant('FxRateRecorded', { quote: 'USD' }))).toEqual([
      'base and quote must be different currencies',
    ]);
  });
});
