/*
 * Alert rule (stream `alertrule-<ruleId>`): what a risk manager asks to be warned about — a metric, a
 * comparison, a threshold in the metric's unit, and a severity. Its events are risk-alert's own (not on
 * arc.risk.events): the alerts carry what consumers need.
 * The invariant it protects: a rule's threshold always fits its metric, and a rule never changes what it
 * watches (a new metric is a new rule, so open alerts keep meaning what they said).
 */
import type { Decider } from '@arc/decider';
import { isCurrencyCode } from '@arc/money';
import {
  ALERT_METRICS,
  COMPARISONS,
  SEVERITIES,
  isAlertMetric,
  isSegmentMetric,
  thresholdFromJson,
  thresholdProblems,
  thresholdToJson,
  type AlertMetric,
  type Comparison,
  type Severity,
  type Threshold,
  type ThresholdJson,
} from './metrics';
import { escalationProblems, type Level } from './levels';
import {
  AlertRuleAlreadyDefinedError,
  AlertRuleMetricChangeError,
  AlertRuleNotDefinedError,
  AlertRuleRetiredError,
  InvalidAlertRuleError,
} from './risk-alert.errors';

export const alertRuleStreamId = (ruleId: string): string => `alertrule-${ruleId}`;

/** What the alert decider needs of a rule at evaluation time. */
export interface RuleSnapshot {
  ruleId: string;
  name: string;
  metric: AlertMetric;
  comparison: Comparison;
  threshold: Threshold;
  severity: Severity;
  /** Further levels, each beyond the one before and more severe: crossing one escalates the open alert. */
  escalations: readonly Level[];
  /** On a customer alert reaching critical, ask credit to put the customer on hold (released when it resolves). */
  holdOnCritical: boolean;
  /**
   * The currency of the segment figures a segment-* rule watches (projections publish each segment's KPIs per
   * currency, never converted); required for those metrics, null for the customer ones.
   */
  currency: string | null;
}

// ---------------------------------------------------------------------------------------------- commands

export type DefineRule = { type: 'DefineRule'; data: RuleSnapshot & { definedBy: string; definedAt: string } };
export type ChangeRule = {
  type: 'ChangeRule';
  data: RuleSnapshot & { changedBy: string; changedAt: string };
};
export type RetireRule = { type: 'RetireRule'; data: { ruleId: string; retiredBy: string; retiredAt: string; reason: string } };
export type AlertRuleCommand = DefineRule | ChangeRule | RetireRule;

// ------------------------------------------------------------------------------------------------ events

interface RuleDefinitionJson {
  ruleId: string;
  name: string;
  metric: AlertMetric;
  comparison: Comparison;
  threshold: ThresholdJson;
  severity: Severity;
  /** Absent in rules defined before escalations existed: none. */
  escalations?: readonly { threshold: ThresholdJson; severity: Severity }[];
  holdOnCritical?: boolean;
  currency?: string | null;
}

export type AlertRuleDefined = { type: 'AlertRuleDefined'; data: RuleDefinitionJson & { definedBy: string; definedAt: string } };
export type AlertRuleChanged = { type: 'AlertRuleChanged'; data: RuleDefinitionJson & { changedBy: string; changedAt: string } };
export type AlertRuleRetired = { type: 'AlertRuleRetired'; data: { ruleId: string; retiredBy: string; retiredAt: string; reason: string } };
export type AlertRuleEvent = AlertRuleDefined | AlertRuleChanged | AlertRuleRetired;

// ------------------------------------------------------------------------------------------------- state

export type AlertRule = { status: 'undefined' } | ({ status: 'active' } & RuleSnapshot) | ({ status: 'retired' } & RuleSnapshot);

export const initialState: AlertRule = { status: 'undefined' };

/** The rule as the alert decider takes it; null unless it is active. */
export function ruleSnapshot(rule: AlertRule): RuleSnapshot | null {
  if (rule.status !== 'active') return null;
  const { ruleId, name, metric, comparison, threshold, severity, escalations, holdOnCritical, currency } = rule;
  return { ruleId, name, metric, comparison, threshold, severity, escalations, holdOnCritical, currency };
}

// ------------------------------------------------------------------------------------------ the commands

function definitionProblems(rule: RuleSnapshot): string[] {
  const problems: string[] = [];
  if (typeof rule.ruleId !== 'string' || rule.ruleId.trim() === '') problems.push('ruleId must be a non-empty string');
  if (typeof rule.name !== 'string' || rule.name.trim() === '') problems.push('name must be a non-empty string');
  if (!(COMPARISONS as readonly string[]).includes(rule.comparison)) problems.push(`comparison must be one of ${COMPARISONS.join(' ')}`);
  if (!(SEVERITIES as readonly string[]).includes(rule.severity)) problems.push(`severity must be one of ${SEVERITIES.join(', ')}`);
  if (!isAlertMetric(rule.metric)) problems.push(`metric must be one of ${ALERT_METRICS.join(', ')}`);
  else {
    const fits = thresholdProblems(rule.metric, rule.threshold);
    problems.push(...fits);
    if (fits.length === 0 && problems.length === 0) problems.push(...escalationProblems(rule.metric, rule, rule.holdOnCritical));
    const segment = isSegmentMetric(rule.metric);
    if (segment && (rule.currency === null || !isCurrencyCode(rule.currency))) {
      problems.push(`${rule.metric} needs the currency of the segment figures it watches (currency)`);
    }
    if (!segment && rule.currency !== null) problems.push(`currency is only for the segment metrics, not ${rule.metric}`);
  }
  return problems;
}

function definitionJson(rule: RuleSnapshot): RuleDefinitionJson {
  return {
    ruleId: rule.ruleId,
    name: rule.name,
    metric: rule.metric,
    comparison: rule.comparison,
    threshold: thresholdToJson(rule.threshold),
    severity: rule.severity,
    escalations: rule.escalations.map((l) => ({ threshold: thresholdToJson(l.threshold), severity: l.severity })),
    holdOnCritical: rule.holdOnCritical,
    currency: rule.currency,
  };
}

function sameDefinition(a: RuleSnapshot, b: RuleSnapshot): boolean {
  return JSON.stringify(definitionJson(a)) === JSON.stringify(definitionJson(b));
}

export function defineRule(command: DefineRule, rule: AlertRule): AlertRuleEvent[] {
  const { definedBy, definedAt, ...definition } = command.data;
  if (rule.status === 'active' && sameDefinition(rule, definition)) return [];
  if (rule.status !== 'undefined') throw new AlertRuleAlreadyDefinedError(definition.ruleId);
  const problems = definitionProblems(definition);
  if (problems.length > 0) throw new InvalidAlertRuleError(problems);
  return [{ type: 'AlertRuleDefined', data: { ...definitionJson(definition), definedBy, definedAt } }];
}

export function changeRule(command: ChangeRule, rule: AlertRule): AlertRuleEvent[] {
  const { changedBy, changedAt, ...definition } = command.data;
  if (rule.status === 'undefined') throw new AlertRuleNotDefinedError(definition.ruleId);
  if (rule.status === 'retired') throw new AlertRuleRetiredError(rule.ruleId);
  if (definition.metric !== rule.metric) throw new AlertRuleMetricChangeError(rule.ruleId, rule.metric, definition.metric);
  if (definition.ruleId !== rule.ruleId) throw new InvalidAlertRuleError([`ruleId ${definition.ruleId} is not this rule (${rule.ruleId})`]);
  const problems = definitionProblems(definition);
  if (problems.length > 0) throw new InvalidAlertRuleError(problems);
  if (sameDefinition(rule, definition)) return [];
  return [{ type: 'AlertRuleChanged', data: { ...definitionJson(definition), changedBy, changedAt } }];
}

export function retireRule(command: RetireRule, rule: AlertRule): AlertRuleEvent[] {
  if (rule.status === 'undefined') throw new AlertRuleNotDefinedError(command.data.ruleId);
  if (rule.status === 'retired') return [];
  if (command.data.reason.trim() === '') throw new InvalidAlertRuleError(['a retirement needs a reason']);
  return [{ type: 'AlertRuleRetired', data: { ...command.data, ruleId: rule.ruleId } }];
}

export function decide(command: AlertRuleCommand, rule: AlertRule): AlertRuleEvent[] {
  switch (command.type) {
    case 'DefineRule':
      return defineRule(command, rule);
    case 'ChangeRule':
      return changeRule(command, rule);
    case 'RetireRule':
      return retireRule(command, rule);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

// ------------------------------------------------------------------------------------------------ evolve

function fromJson(d: RuleDefinitionJson): RuleSnapshot {
  return {
    ruleId: d.ruleId,
    name: d.name,
    metric: d.metric,
    comparison: d.comparison,
    threshold: thresholdFromJson(d.threshold),
    severity: d.severity,
    escalations: (d.escalations ?? []).map((l) => ({ threshold: thresholdFromJson(l.threshold), severity: l.severity })),
    holdOnCritical: d.holdOnCritical ?? false,
    currency: d.currency ?? null,
  };
}

export function evolve(rule: AlertRule, event: AlertRuleEvent): AlertRule {
  switch (event.type) {
    case 'AlertRuleDefined':
    case 'AlertRuleChanged':
      return { status: 'active', ...fromJson(event.data) };
    case 'AlertRuleRetired':
      return rule.status === 'active' ? { ...rule, status: 'retired' } : rule;
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

export const alertRuleDecider: Decider<AlertRuleCommand, AlertRuleEvent, AlertRule> = { initialState, decide, evolve };
