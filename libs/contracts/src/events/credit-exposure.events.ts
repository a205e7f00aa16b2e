import { Topics } from '../topics';
import {
  check,
  currency,
  date,
  defineEvent,
  minor,
  money,
  oneOf,
  requireCurrency,
  text,
  uuid,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/*
 * What exposure is measured against beyond one customer, topic arc.credit.events: credit groups (stream
 * `credit-group-<groupId>`, a limit shared by a parent and its subsidiaries) and FX rates (stream
 * `fx-rate-<BASE>-<QUOTE>`). Group events name members `memberCustomerId`: the Kafka key of a group's
 * events is the group id, and a `customerId` field would claim to be that key.
 */

export interface CustomerJoinedCreditGroupData {
  customerId: Uuid;
  groupId: Uuid;
}

/** On the member's own stream: its checks must also fit the group's limit from now on. */
export const CustomerJoinedCreditGroup = defineEvent<CustomerJoinedCreditGroupData>()({
  type: 'CustomerJoinedCreditGroup',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { customerId: uuid, groupId: uuid },
});

export interface CreditGroupDefinedData {
  groupId: Uuid;
  name: string;
  parentCustomerId: Uuid;
  groupLimit: MoneyJson;
}

export const CreditGroupDefined = defineEvent<CreditGroupDefinedData>()({
  type: 'CreditGroupDefined',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { groupId: uuid, name: text, parentCustomerId: uuid, groupLimit: money('non-negative') },
});

export interface CreditGroupLimitSetData {
  groupId: Uuid;
  groupLimit: MoneyJson;
}

export const CreditGroupLimitSet = defineEvent<CreditGroupLimitSetData>()({
  type: 'CreditGroupLimitSet',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { groupId: uuid, groupLimit: money('non-negative') },
});

export interface CreditGroupMemberAddedData {
  groupId: Uuid;
  memberCustomerId: Uuid;
}

export const CreditGroupMemberAdded = defineEvent<CreditGroupMemberAddedData>()({
  type: 'CreditGroupMemberAdded',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { groupId: uuid, memberCustomerId: uuid },
});

/** A member's credit check holds this much of the group limit until its reservation is consumed or released. */
export interface CreditGroupReservationMadeData {
  groupId: Uuid;
  memberCustomerId: Uuid;
  /** The member's credit check id (= its reservation id when the member's check passes). */
  reservationId: Uuid;
  amount: MoneyJson;
  groupExposureBefore: MoneyJson;
  groupLimit: MoneyJson;
}

export const CreditGroupReservationMade = defineEvent<CreditGroupReservationMadeData>()({
  type: 'CreditGroupReservationMade',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: {
    groupId: uuid,
    memberCustomerId: uuid,
    reservationId: uuid,
    amount: money('positive'),
    groupExposureBefore: money('any', 'figure'),
    groupLimit: money('non-negative'),
  },
  rules: (data, problems) => {
    requireCurrency(problems, data.groupLimit.currency, { amount: data.amount, groupExposureBefore: data.groupExposureBefore });
    if (problems.length === 0 && minor(data.groupExposureBefore) + minor(data.amount) > minor(data.groupLimit)) {
      problems.push('groupExposureBefore + amount exceeds groupLimit');
    }
  },
});

export interface CreditGroupReservationReleasedData {
  groupId: Uuid;
  memberCustomerId: Uuid;
  reservationId: Uuid;
  amount: MoneyJson;
  reason: string;
}

export const CreditGroupReservationReleased = defineEvent<CreditGroupReservationReleasedData>()({
  type: 'CreditGroupReservationReleased',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { groupId: uuid, memberCustomerId: uuid, reservationId: uuid, amount: money('positive'), reason: text },
});

/** A positive decimal with at most 12 integer and 10 fraction digits: exact, never a JSON number. */
export const FX_RATE_PATTERN = /^(0|[1-9]\d{0,11})(\.\d{1,10})?$/;
const fxRate = check(
  (v) => typeof v === 'string' && FX_RATE_PATTERN.test(v) && /[1-9]/.test(v),
  'a positive decimal rate as a string ("1.0845")',
);

export const FX_RATE_SOURCES = ['manual', 'import'] as const;

/** 1 unit of `base` = `rate` units of `quote`, on the business date `rateDate`. */
export interface FxRateRecordedData {
  base: string;
  quote: string;
  rateDate: IsoDate;
  rate: string;
  source: (typeof FX_RATE_SOURCES)[number];
}

export const FxRateRecorded = defineEvent<FxRateRecordedData>()({
  type: 'FxRateRecorded',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { base: currency, quote: currency, rateDate: date, rate: fxRate, source: oneOf(FX_RATE_SOURCES) },
  rules: (data, problems) => {
    if (data.base === data.quote) problems.push('base and quote must be different currencies');
  },
});
