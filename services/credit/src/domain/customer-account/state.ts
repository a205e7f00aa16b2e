/*
 * A customer's credit account as its events fold: registration, policy, holds, reservations, the credit
 * file, assessments, limit requests, tolerance, insurance and group membership. `evolve` never refuses:
 * every rule is decided before an event is stored.
 */
import {
  CREDIT_CHECK_FAILED_V1_CHECK_ID,
  type Approver,
  type ApprovalRequirement,
  type CreditCheckFailure,
  type CreditCheckpoint,
  type CreditClass,
  type CreditFileContact,
  type CreditHoldSource,
  type CustomerAccountEvent,
  type CustomerAssessedData,
  type CustomerRegisteredData,
  type EarlyPaymentDiscountTerms,
  type EvidenceKind,
  type PaymentMethod,
} from '@arc/contracts';
import { parseMoney, type CurrencyCode, type Money } from '@arc/money';

export interface CreditPolicy {
  creditClass: CreditClass;
  creditLimit: Money;
  paymentTermDays: number;
  acceptedPaymentMethods: readonly PaymentMethod[];
  earlyPaymentDiscount: EarlyPaymentDiscountTerms | null;
  prepaymentBasisPoints: number;
  insuredAmount: Money | null;
  nextReviewDate: string;
}

export type Reservation =
  | { status: 'open'; amount: Money; orderReference: string }
  | { status: 'consumed'; amount: Money; orderReference: string; invoiceId: string }
  | { status: 'released'; amount: Money; orderReference: string };

export interface FailedCheck {
  reason: CreditCheckFailure;
  orderReference: string;
}

export interface Evidence {
  evidenceId: string;
  kind: EvidenceKind;
  reference: string;
  documentHash: string | null;
  receivedOn: string;
  validUntil: string | null;
  supersedes: string | null;
  addedBy: string;
  /** The newer evidence that replaced this one; the piece stays in the file. */
  supersededBy: string | null;
}

export type Assessment = Omit<CustomerAssessedData, 'customerId'>;

export interface LimitRequest {
  requestId: string;
  requestedLimit: Money;
  reason: string;
  temporaryUntil: string | null;
  evidenceIds: readonly string[];
  requestedBy: string;
  creditClass: CreditClass;
  matrixVersion: number;
  requirement: ApprovalRequirement;
  requestedOn: string;
  approvals: readonly Approver[];
  status: 'pending' | 'approved' | 'rejected';
  rejection: { by: Approver; reason: string } | null;
}

export interface TemporaryLimit {
  requestId: string;
  limit: Money;
  endDate: string;
  /** The limit that returns when it expires. */
  restoreLimit: Money;
}

export type Tolerance = { kind: 'basis-points'; basisPoints: number } | { kind: 'amount'; amount: Money };

export interface InsuranceCover {
  insurer: string;
  policyNumber: string;
  insuredAmount: Money;
  validUntil: string;
}

export interface RegisteredAccount {
  status: 'registered';
  customer: CustomerRegisteredData;
  currency: CurrencyCode;
  policy: CreditPolicy | null;
  hold: { source: CreditHoldSource; reason: string } | null;
  /** Every reservation ever made, by id, so that repeats are recognised after release or consumption. */
  reservations: ReadonlyMap<string, Reservation>;
  /** Every failed check, by check id, so that its repeat is recognised like a passed check's. */
  failedChecks: ReadonlyMap<string, FailedCheck>;
  /** Where each check (by id, either outcome) was made; events before checkpoints read as 'order'. */
  checkpoints: ReadonlyMap<string, CreditCheckpoint>;
  contacts: readonly CreditFileContact[];
  /** Every piece of evidence ever added, in order; none is ever removed. */
  evidence: ReadonlyMap<string, Evidence>;
  /** Every assessment, oldest first. */
  assessments: readonly Assessment[];
  /** Class changes by the review (assessment id) that made them. */
  reclassifications: ReadonlyMap<string, { fromClass: CreditClass; toClass: CreditClass }>;
  limitRequests: ReadonlyMap<string, LimitRequest>;
  temporaryLimit: TemporaryLimit | null;
  tolerance: Tolerance | null;
  insurance: InsuranceCover | null;
  groupId: string | null;
}

export type CustomerCreditAccount = { status: 'unregistered' } | RegisteredAccount;

export const initialState: CustomerCreditAccount = { status: 'unregistered' };

export const REGISTRATION_FIELDS = [
  'customerId',
  'legalName',
  'registrationNumber',
  'industry',
  'country',
  'currency',
  'businessUnit',
] as const satisfies readonly (keyof CustomerRegisteredData)[];

export function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const key of keys) picked[key] = source[key];
  return picked;
}

function withReservation(account: RegisteredAccount, reservationId: string, update: (r: Reservation) => Reservation): RegisteredAccount {
  const reservation = account.reservations.get(reservationId);
  if (reservation === undefined) return account;
  return { ...account, reservations: new Map(account.reservations).set(reservationId, update(reservation)) };
}

function withRequest(account: RegisteredAccount, requestId: string, update: (r: LimitRequest) => LimitRequest): RegisteredAccount {
  const request = account.limitRequests.get(requestId);
  if (request === undefined) return account;
  return { ...account, limitRequests: new Map(account.limitRequests).set(requestId, update(request)) };
}

function registered(data: CustomerRegisteredData): RegisteredAccount {
  const customer = pick(data, REGISTRATION_FIELDS);
  return {
    status: 'registered',
    customer,
    currency: customer.currency as CurrencyCode,
    policy: null,
    hold: null,
    reservations: new Map(),
    failedChecks: new Map(),
    checkpoints: new Map(),
    contacts: [],
    evidence: new Map(),
    assessments: [],
    reclassifications: new Map(),
    limitRequests: new Map(),
    temporaryLimit: null,
    tolerance: null,
    insurance: null,
    groupId: null,
  };
}

export function evolve(state: CustomerCreditAccount, event: CustomerAccountEvent): CustomerCreditAccount {
  if (event.type === 'CustomerRegistered') {
    // decide never registers a customer twice; should a stream hold a second registration, the first stands.
    return state.status === 'registered' ? state : registered(event.data);
  }
  if (state.status !== 'registered') return state;
  switch (event.type) {
    case 'CreditPolicySet': {
      const d = event.data;
      return {
        ...state,
        policy: {
          creditClass: d.creditClass,
          creditLimit: parseMoney(d.creditLimit, 'creditLimit'),
          paymentTermDays: d.paymentTermDays,
          acceptedPaymentMethods: [...d.acceptedPaymentMethods],
          earlyPaymentDiscount: d.earlyPaymentDiscount === null ? null : { ...d.earlyPaymentDiscount },
          prepaymentBasisPoints: d.prepaymentBasisPoints,
          insuredAmount: d.insuredAmount === null ? null : parseMoney(d.insuredAmount, 'insuredAmount'),
          nextReviewDate: d.nextReviewDate,
        },
      };
    }
    case 'CreditCheckPassed': {
      const { reservationId, amount, orderReference } = event.data;
      const reservations = new Map(state.reservations).set(reservationId, {
        status: 'open',
        amount: parseMoney(amount, 'amount'),
        orderReference,
      });
      const checkpoints = new Map(state.checkpoints).set(reservationId, event.data.checkpoint ?? 'order');
      return { ...state, reservations, checkpoints };
    }
    case 'CreditCheckFailed': {
      // A v1 failure (upcast) named no check, so no later check can be its repeat.
      if (event.data.checkId === CREDIT_CHECK_FAILED_V1_CHECK_ID) return state;
      const failedChecks = new Map(state.failedChecks).set(event.data.checkId, {
        reason: event.data.reason,
        orderReference: event.data.orderReference,
      });
      const checkpoints = new Map(state.checkpoints).set(event.data.checkId, event.data.checkpoint ?? 'order');
      return { ...state, failedChecks, checkpoints };
    }
    case 'CreditReservationReleased':
      return withReservation(state, event.data.reservationId, (r) => ({
        status: 'released',
        amount: r.amount,
        orderReference: r.orderReference,
      }));
    case 'CreditReservationConsumed': {
      const invoiceId = event.data.invoiceId;
      return withReservation(state, event.data.reservationId, (r) => ({
        status: 'consumed',
        amount: r.amount,
        orderReference: r.orderReference,
        invoiceId,
      }));
    }
    case 'CreditHoldPlaced':
      return { ...state, hold: { source: event.data.source, reason: event.data.reason } };
    case 'CreditHoldReleased':
      return { ...state, hold: null };
    case 'CreditFileContactsSet':
      return { ...state, contacts: event.data.contacts.map((c) => ({ ...c })) };
    case 'CreditEvidenceAdded': {
      const { customerId: _customer, ...piece } = event.data;
      const evidence = new Map(state.evidence).set(piece.evidenceId, { ...piece, supersededBy: null });
      const older = piece.supersedes === null ? undefined : evidence.get(piece.supersedes);
      if (older !== undefined) evidence.set(older.evidenceId, { ...older, supersededBy: piece.evidenceId });
      return { ...state, evidence };
    }
    case 'CustomerAssessed': {
      const { customerId: _customer, ...assessment } = event.data;
      return { ...state, assessments: [...state.assessments, assessment] };
    }
    case 'CustomerReclassified': {
      // The class itself changes with the CreditPolicySet that follows it.
      const { assessmentId, fromClass, toClass } = event.data;
      return { ...state, reclassifications: new Map(state.reclassifications).set(assessmentId, { fromClass, toClass }) };
    }
    case 'CreditLimitRequested': {
      const d = event.data;
      const request: LimitRequest = {
        requestId: d.requestId,
        requestedLimit: parseMoney(d.requestedLimit, 'requestedLimit'),
        reason: d.reason,
        temporaryUntil: d.temporaryUntil,
        evidenceIds: [...d.evidenceIds],
        requestedBy: d.requestedBy,
        creditClass: d.creditClass,
        matrixVersion: d.matrixVersion,
        requirement: { ...d.requirement },
        requestedOn: d.requestedOn,
        approvals: [],
        status: 'pending',
        rejection: null,
      };
      return { ...state, limitRequests: new Map(state.limitRequests).set(d.requestId, request) };
    }
    case 'CreditLimitApprovalGiven':
      return withRequest(state, event.data.requestId, (r) => ({ ...r, approvals: [...r.approvals, { ...event.data.approver }] }));
    case 'CreditLimitRequestApproved': {
      const d = event.data;
      const next = withRequest(state, d.requestId, (r) => ({ ...r, approvals: d.approvers.map((a) => ({ ...a })), status: 'approved' }));
      const approved = parseMoney(d.approvedLimit, 'approvedLimit');
      if (d.temporaryUntil === null) return { ...next, temporaryLimit: null };
      // A temporary limit on top of a temporary one still falls back to the last permanent limit.
      const restoreLimit = state.temporaryLimit?.restoreLimit ?? parseMoney(d.previousLimit, 'previousLimit');
      return { ...next, temporaryLimit: { requestId: d.requestId, limit: approved, endDate: d.temporaryUntil, restoreLimit } };
    }
    case 'CreditLimitRequestRejected': {
      const d = event.data;
      return withRequest(state, d.requestId, (r) => ({
        ...r,
        status: 'rejected',
        rejection: { by: { ...d.rejectedBy }, reason: d.reason },
      }));
    }
    case 'TemporaryCreditLimitExpired':
      return { ...state, temporaryLimit: null };
    case 'CreditToleranceSet': {
      const { basisPoints, amount } = event.data;
      const tolerance: Tolerance | null =
        basisPoints !== null
          ? { kind: 'basis-points', basisPoints }
          : amount !== null
            ? { kind: 'amount', amount: parseMoney(amount, 'amount') }
            : null;
      return { ...state, tolerance };
    }
    case 'CreditInsuranceCoverSet': {
      const d = event.data;
      return {
        ...state,
        insurance: {
          insurer: d.insurer,
          policyNumber: d.policyNumber,
          insuredAmount: parseMoney(d.insuredAmount),
          validUntil: d.validUntil,
        },
      };
    }
    case 'CustomerJoinedCreditGroup':
      return { ...state, groupId: event.data.groupId };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}
