import type { AssessmentInputs, ScoringModel } from '../credit-assessment.events';
import type { ArcEventData } from '../registry';

/* Samples of the credit-management events (assessment, limits, file, groups, FX), one valid payload each. */

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const SUBSIDIARY = 'c0ffee00-0000-4000-8000-000000000002';
const GROUP = 'a0a0a0a0-0000-4000-8000-000000000001';
const ASSESSMENT = 'a55e55ed-0000-4000-8000-000000000001';
const REQUEST = 'b0b0b0b0-0000-4000-8000-000000000001';
const EVIDENCE = 'e0e0e0e0-0000-4000-8000-000000000001';
const GROUP_RESERVATION = 'a1b2c3d4-0000-4000-8000-000000000007';

const eur = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });
const band = (atLeast: number | null, points: number) => ({ atLeast, equals: null, points });

/** A small coherent model: one input per factor where it can be, weights summing to 100. */
export const SAMPLE_SCORING_MODEL: ScoringModel = {
  factors: [
    {
      factor: 'character',
      weightPercent: 30,
      inputs: [{ input: 'bureauScore', weightPercent: 100, missingPoints: 40, bands: [band(70, 100), band(null, 20)] }],
    },
    {
      factor: 'capacity',
      weightPercent: 25,
      inputs: [{ input: 'netMarginBasisPoints', weightPercent: 100, missingPoints: 30, bands: [band(500, 100), band(null, 10)] }],
    },
    {
      factor: 'capital',
      weightPercent: 20,
      inputs: [{ input: 'currentRatioHundredths', weightPercent: 100, missingPoints: 30, bands: [band(150, 100), band(null, 10)] }],
    },
    {
      factor: 'collateral',
      weightPercent: 10,
      inputs: [{ input: 'guaranteeCoverBasisPoints', weightPercent: 100, missingPoints: 0, bands: [band(5000, 100), band(null, 0)] }],
    },
    {
      factor: 'conditions',
      weightPercent: 15,
      inputs: [
        {
          input: 'industryRisk',
          weightPercent: 100,
          missingPoints: 50,
          bands: [
            { atLeast: null, equals: 'low', points: 100 },
            { atLeast: null, equals: 'high', points: 20 },
          ],
        },
      ],
    },
  ],
  classCutOffs: { A: 80, B: 65, C: 45 },
  recommendations: [
    { creditClass: 'A', paymentTermDays: 60, prepaymentBasisPoints: 0, equityShareBasisPoints: 2000, revenueShareBasisPoints: 1000 },
    { creditClass: 'B', paymentTermDays: 45, prepaymentBasisPoints: 0, equityShareBasisPoints: 1000, revenueShareBasisPoints: 600 },
    { creditClass: 'C', paymentTermDays: 30, prepaymentBasisPoints: 3000, equityShareBasisPoints: 500, revenueShareBasisPoints: 300 },
    { creditClass: 'D', paymentTermDays: 0, prepaymentBasisPoints: 10_000, equityShareBasisPoints: 0, revenueShareBasisPoints: 0 },
  ],
  limitRoundingMajorUnits: 1000,
};

export const SAMPLE_ASSESSMENT_INPUTS: AssessmentInputs = {
  bureauScore: 82,
  yearsInBusiness: 12,
  onTimePaymentBasisPoints: null,
  averageDaysLate: null,
  brokenPromises: null,
  operatingCashFlowMarginBasisPoints: 1200,
  netMarginBasisPoints: 700,
  currentRatioHundredths: 180,
  debtRatioBasisPoints: 4000,
  guaranteeCoverBasisPoints: 0,
  insuranceCoverBasisPoints: 5000,
  industryRisk: 'low',
  marketTrend: 'stable',
  equity: eur('500000000'),
  annualRevenue: eur('2000000000'),
};

type CreditManagementSamples = {
  [
    T in
      | 'ScoringModelPublished'
      | 'CustomerAssessed'
      | 'CustomerReclassified'
      | 'ApprovalMatrixSet'
      | 'CreditLimitRequested'
      | 'CreditLimitApprovalGiven'
      | 'CreditLimitRequestApproved'
      | 'CreditLimitRequestRejected'
      | 'TemporaryCreditLimitExpired'
      | 'CreditToleranceSet'
      | 'CreditInsuranceCoverSet'
      | 'CreditFileContactsSet'
      | 'CreditEvidenceAdded'
      | 'CustomerJoinedCreditGroup'
      | 'CreditGroupDefined'
      | 'CreditGroupLimitSet'
      | 'CreditGroupMemberAdded'
      | 'CreditGroupReservationMade'
      | 'CreditGroupReservationReleased'
      | 'FxRateRecorded'
  ]: ArcEventData<T>;
};

export const creditManagementSamples: CreditManagementSamples = {
  ScoringModelPublished: { version: 1, model: SAMPLE_SCORING_MODEL, note: 'first model' },
  CustomerAssessed: {
    customerId: CUSTOMER,
    assessmentId: ASSESSMENT,
    purpose: 'initial',
    modelVersion: 1,
    assessedOn: '2026-01-05',
    inputs: SAMPLE_ASSESSMENT_INPUTS,
    score: 87,
    creditClass: 'A',
    factors: [
      {
        factor: 'character',
        weightPercent: 30,
        contributionHundredths: 3000,
        inputs: [{ input: 'bureauScore', value: '82', points: 100, weightPercent: 100 }],
      },
      {
        factor: 'capacity',
        weightPercent: 25,
        contributionHundredths: 2500,
        inputs: [{ input: 'netMarginBasisPoints', value: '700', points: 100, weightPercent: 100 }],
      },
      {
        factor: 'capital',
        weightPercent: 20,
        contributionHundredths: 2000,
        inputs: [{ input: 'currentRatioHundredths', value: '180', points: 100, weightPercent: 100 }],
      },
      {
        factor: 'collateral',
        weightPercent: 10,
        contributionHundredths: 0,
        inputs: [{ input: 'guaranteeCoverBasisPoints', value: '0', points: 0, weightPercent: 100 }],
      },
      {
        factor: 'conditions',
        weightPercent: 15,
        contributionHundredths: 1500,
        inputs: [{ input: 'industryRisk', value: 'low', points: 100, weightPercent: 100 }],
      },
    ],
    recommendedLimit: eur('100000000'),
    recommendedPaymentTermDays: 60,
    recommendedPrepaymentBasisPoints: 0,
    assessedBy: 'user:fiona',
  },
  CustomerReclassified: {
    customerId: CUSTOMER,
    assessmentId: ASSESSMENT,
    fromClass: 'B',
    toClass: 'C',
    direction: 'downgrade',
    reviewedOn: '2026-06-30',
  },
  ApprovalMatrixSet: {
    version: 1,
    matrix: {
      currency: 'EUR',
      rules: [
        { creditClasses: ['A', 'B'], upToMinor: '10000000', approvals: 1, minimumLevel: 1, finalLevel: 1 },
        { creditClasses: ['A', 'B', 'C', 'D'], upToMinor: null, approvals: 2, minimumLevel: 2, finalLevel: 3 },
      ],
    },
    note: 'default matrix',
  },
  CreditLimitRequested: {
    customerId: CUSTOMER,
    requestId: REQUEST,
    requestedLimit: eur('20000000'),
    reason: 'seasonal orders',
    temporaryUntil: '2026-03-31',
    evidenceIds: [EVIDENCE],
    requestedBy: 'sam',
    creditClass: 'B',
    matrixVersion: 1,
    requirement: { approvals: 2, minimumLevel: 2, finalLevel: 3 },
    requestedOn: '2026-01-10',
  },
  CreditLimitApprovalGiven: { customerId: CUSTOMER, requestId: REQUEST, approver: { subject: 'fiona', level: 2 } },
  CreditLimitRequestApproved: {
    customerId: CUSTOMER,
    requestId: REQUEST,
    approvers: [
      { subject: 'fiona', level: 2 },
      { subject: 'carl', level: 3 },
    ],
    approvedLimit: eur('20000000'),
    previousLimit: eur('10000000'),
    temporaryUntil: '2026-03-31',
  },
  CreditLimitRequestRejected: {
    customerId: CUSTOMER,
    requestId: REQUEST,
    rejectedBy: { subject: 'fiona', level: 2 },
    reason: 'financials too weak',
  },
  TemporaryCreditLimitExpired: {
    customerId: CUSTOMER,
    requestId: REQUEST,
    temporaryLimit: eur('20000000'),
    restoredLimit: eur('10000000'),
    endDate: '2026-03-31',
    closedDate: '2026-04-01',
  },
  CreditToleranceSet: { customerId: CUSTOMER, basisPoints: 500, amount: null },
  CreditInsuranceCoverSet: {
    customerId: CUSTOMER,
    insurer: 'Allianz Trade',
    policyNumber: 'AT-778812',
    insuredAmount: eur('8000000'),
    validUntil: '2026-12-31',
  },
  CreditFileContactsSet: {
    customerId: CUSTOMER,
    contacts: [{ name: 'Eva Weber', role: 'CFO', email: 'eva.weber@example.com', phone: null }],
  },
  CreditEvidenceAdded: {
    customerId: CUSTOMER,
    evidenceId: EVIDENCE,
    kind: 'bureau-report',
    reference: 'CRIF 2026-000123',
    documentHash: 'a'.repeat(64),
    receivedOn: '2026-01-04',
    validUntil: '2027-01-04',
    supersedes: null,
    addedBy: 'user:fiona',
  },
  CustomerJoinedCreditGroup: { customerId: SUBSIDIARY, groupId: GROUP },
  CreditGroupDefined: { groupId: GROUP, name: 'Acme Group', parentCustomerId: CUSTOMER, groupLimit: eur('50000000') },
  CreditGroupLimitSet: { groupId: GROUP, groupLimit: eur('60000000') },
  CreditGroupMemberAdded: { groupId: GROUP, memberCustomerId: SUBSIDIARY },
  CreditGroupReservationMade: {
    groupId: GROUP,
    memberCustomerId: SUBSIDIARY,
    reservationId: GROUP_RESERVATION,
    amount: eur('1000000'),
    groupExposureBefore: eur('49000000'),
    groupLimit: eur('50000000'),
  },
  CreditGroupReservationReleased: {
    groupId: GROUP,
    memberCustomerId: SUBSIDIARY,
    reservationId: GROUP_RESERVATION,
    amount: eur('1000000'),
    reason: 'invoiced',
  },
  FxRateRecorded: { base: 'USD', quote: 'EUR', rateDate: '2026-01-15', rate: '0.9234', source: 'manual' },
};
