/*
 * How an alert states its figure: the integer text AlertRaised / AlertEscalated carry, and the sentence a person reads.
 */
import { formatMajor, ratioBasisPoints } from '@arc/money';
import { METRIC_LABELS, type AlertMetric, type Comparison, type Observation, type Threshold } from './metrics';

/** The integer text AlertRaised carries: minor units, basis points (half-up, as published) or days. */
export function integerText(value: Observation | Threshold): string {
  switch (value.unit) {
    case 'minor-units':
      return value.amount.amountMinor.toString();
    case 'basis-points':
      return 'basisPoints' in value ? String(value.basisPoints) : String(ratioBasisPoints(value.part, value.whole) ?? 0n);
    case 'days':
      return String(value.days);
    case 'count':
      return String(value.count);
    default: {
      const unknown: never = value;
      throw new RangeError(`unknown unit ${JSON.stringify(unknown)}`);
    }
  }
}

function describeValue(value: Observation | Threshold): string {
  switch (value.unit) {
    case 'minor-units':
      return `${formatMajor(value.amount)} ${value.amount.currency}`;
    case 'basis-points': {
      const bp = BigInt(integerText(value));
      return `${bp / 100n}.${String(bp % 100n).padStart(2, '0')} %`;
    }
    case 'days':
      return `${value.days} days`;
    case 'count':
      return String(value.count);
    default: {
      const unknown: never = value;
      throw new RangeError(`unknown unit ${JSON.stringify(unknown)}`);
    }
  }
}

/** The human line of an alert: "overdue amount 50000.00 EUR > 25000.00 EUR (Overdue above 25k)". */
export function alertMessage(
  rule: { name: string; metric: AlertMetric; comparison: Comparison; threshold: Threshold },
  observed: Observation,
): string {
  return `${METRIC_LABELS[rule.metric]} ${describeValue(observed)} ${rule.comparison} ${describeValue(rule.threshold)} (${rule.name})`;
}
