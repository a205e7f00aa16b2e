/*
 * A rule's levels: its own threshold and severity, then the escalations a risk manager adds (utilisation
 * > 80 % warning, then > 100 % critical). Each level lies further in the comparison's direction than the one
 * before and carries a higher severity, so "the level reached" is the last one whose condition holds, and an
 * alert that reaches a later level has got worse.
 */
import { ALERT_SEVERITIES } from '@arc/contracts';
import {
  conditionOutcome,
  thresholdProblems,
  type AlertMetric,
  type Comparison,
  type Observation,
  type Severity,
  type Threshold,
} from './metrics';

export interface Level {
  threshold: Threshold;
  severity: Severity;
}

/** What the decider needs of a rule to find the level an observation reaches. */
export interface Levelled {
  comparison: Comparison;
  threshold: Threshold;
  severity: Severity;
  escalations: readonly Level[];
}

export const severityRank = (severity: Severity): number => ALERT_SEVERITIES.indexOf(severity);

export function levelsOf(rule: Levelled): Level[] {
  return [{ threshold: rule.threshold, severity: rule.severity }, ...rule.escalations];
}

/** -1, 0, 1 of a against b (same unit and currency), null when they cannot be ordered. */
function orderOf(a: Threshold, b: Threshold): -1 | 0 | 1 | null {
  const sign = (x: bigint | number): -1 | 0 | 1 => (x === 0 || x === 0n ? 0 : x > 0 || x > 0n ? 1 : -1);
  if (a.unit === 'minor-units' && b.unit === 'minor-units') {
    return a.amount.currency === b.amount.currency ? sign(a.amount.amountMinor - b.amount.amountMinor) : null;
  }
  if (a.unit === 'basis-points' && b.unit === 'basis-points') return sign(a.basisPoints - b.basisPoints);
  if (a.unit === 'days' && b.unit === 'days') return sign(a.days - b.days);
  if (a.unit === 'count' && b.unit === 'count') return sign(a.count - b.count);
  return null;
}

/** Everything wrong with a rule's escalations; empty when each lies further and is more severe than the one before. */
export function escalationProblems(metric: AlertMetric, rule: Levelled, holdOnCritical: boolean): string[] {
  const problems: string[] = [];
  const levels = levelsOf(rule);
  const rising = rule.comparison === '>' || rule.comparison === '>=';
  levels.slice(1).forEach((level, i) => {
    const previous = levels[i] as Level;
    const where = `escalations[${i}]`;
    if (!(ALERT_SEVERITIES as readonly string[]).includes(level.severity)) {
      problems.push(`${where}.severity must be one of ${ALERT_SEVERITIES.join(', ')}`);
      return;
    }
    const fits = thresholdProblems(metric, level.threshold);
    if (fits.length > 0) {
      problems.push(...fits.map((p) => `${where}: ${p}`));
      return;
    }
    if (severityRank(level.severity) <= severityRank(previous.severity)) {
      problems.push(`${where}.severity must be higher than ${previous.severity}`);
    }
    const order = orderOf(level.threshold, previous.threshold);
    if (order === null) problems.push(`${where}.threshold must be in the currency of the rule's threshold`);
    else if (order !== (rising ? 1 : -1)) {
      problems.push(`${where}.threshold must be ${rising ? 'above' : 'below'} the level before it (comparison ${rule.comparison})`);
    }
  });
  if (holdOnCritical && !levels.some((l) => l.severity === 'critical')) {
    problems.push('holdOnCritical needs a critical level');
  }
  return problems;
}

export type LevelOutcome = { kind: 'not-comparable' } | { kind: 'clear' } | { kind: 'reached'; level: Level };

/** The last level whose condition holds; clear when not even the first one holds. */
export function levelReached(rule: Levelled, observation: Observation | null): LevelOutcome {
  let reached: Level | null = null;
  for (const level of levelsOf(rule)) {
    const outcome = conditionOutcome(rule.comparison, observation, level.threshold);
    if (outcome === 'not-comparable') return reached === null ? { kind: 'not-comparable' } : { kind: 'reached', level: reached };
    if (outcome === 'clear') break;
    reached = level;
  }
  return reached === null ? { kind: 'clear' } : { kind: 'reached', level: reached };
}
