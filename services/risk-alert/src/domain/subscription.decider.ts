/*
 * Subscription (stream `alertsubscription-<id>`): a department asks for the alerts of some rules, from a
 * severity up, about some scope, to be POSTed to its webhook, signed with a secret it shares with ARC.
 * Its events are risk-alert's own (never published: they hold the secret).
 * The rules it protects: what it matches is fixed once created (a new routing is a new subscription, so a
 * delivery always says which routing sent it), and a cancelled subscription stays cancelled.
 */
import { ALERT_SEVERITIES, ALERT_SUBJECT_KINDS, type AlertSeverity, type AlertSubject } from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { severityRank } from './levels';
import { InvalidSubscriptionError, SubscriptionAlreadyExistsError, SubscriptionNotFoundError } from './risk-alert.errors';

export const subscriptionStreamId = (subscriptionId: string): string => `alertsubscription-${subscriptionId}`;

export interface SubscriptionDefinition {
  subscriptionId: string;
  /** Who receives it: 'collections', 'credit-management', 'sales-emea' … */
  department: string;
  url: string;
  /** HMAC-SHA256 key of the signature header; at least 16 characters. */
  secret: string;
  /** The rules it follows; null: every rule. */
  ruleIds: string[] | null;
  /** The lowest severity delivered (an escalation into it is delivered; so is the resolution of an alert that reached it). */
  minSeverity: AlertSeverity;
  /** Which subjects: a kind (customer, business-unit …), and optionally one key of it; null: every subject. */
  scope: { kind: AlertSubject['kind']; key: string | null } | null;
}

export type CreateSubscription = { type: 'CreateSubscription'; data: SubscriptionDefinition & { createdBy: string; createdAt: string } };
export type CancelSubscription = { type: 'CancelSubscription'; data: { subscriptionId: string; cancelledBy: string; cancelledAt: string } };
export type SubscriptionCommand = CreateSubscription | CancelSubscription;

export type AlertSubscriptionCreated = { type: 'AlertSubscriptionCreated'; data: CreateSubscription['data'] };
export type AlertSubscriptionCancelled = { type: 'AlertSubscriptionCancelled'; data: CancelSubscription['data'] };
export type SubscriptionEvent = AlertSubscriptionCreated | AlertSubscriptionCancelled;

export type Subscription =
  { status: 'none' } | ({ status: 'active' } & SubscriptionDefinition) | ({ status: 'cancelled' } & SubscriptionDefinition);

export const initialState: Subscription = { status: 'none' };

function definitionProblems(d: SubscriptionDefinition): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(d.department)) problems.push('department must be lower-case letters, digits and -');
  let url: URL | null = null;
  try {
    url = new URL(d.url);
  } catch {
    problems.push('url must be an absolute URL');
  }
  if (url !== null && url.protocol !== 'https:' && url.protocol !== 'http:') problems.push('url must be http or https');
  if (typeof d.secret !== 'string' || d.secret.length < 16) problems.push('secret must have at least 16 characters');
  if (!(ALERT_SEVERITIES as readonly string[]).includes(d.minSeverity))
    problems.push(`minSeverity must be one of ${ALERT_SEVERITIES.join(', ')}`);
  if (d.ruleIds !== null && d.ruleIds.length === 0) problems.push('ruleIds must name at least one rule, or be null for every rule');
  if (d.scope !== null && !(ALERT_SUBJECT_KINDS as readonly string[]).includes(d.scope.kind)) {
    problems.push(`scope.kind must be one of ${ALERT_SUBJECT_KINDS.join(', ')}`);
  }
  if (d.scope?.kind === 'portfolio' && d.scope.key !== null) problems.push('scope.key must be null for the portfolio');
  return problems;
}

const definitionOf = (s: SubscriptionDefinition): SubscriptionDefinition => ({
  subscriptionId: s.subscriptionId,
  department: s.department,
  url: s.url,
  secret: s.secret,
  ruleIds: s.ruleIds,
  minSeverity: s.minSeverity,
  scope: s.scope,
});

export function decide(command: SubscriptionCommand, state: Subscription): SubscriptionEvent[] {
  switch (command.type) {
    case 'CreateSubscription': {
      const { createdBy: _by, createdAt: _at, ...definition } = command.data;
      if (state.status !== 'none') {
        if (JSON.stringify(definitionOf(state)) === JSON.stringify(definitionOf(definition)) && state.status === 'active') return [];
        throw new SubscriptionAlreadyExistsError(definition.subscriptionId);
      }
      const problems = definitionProblems(definition);
      if (problems.length > 0) throw new InvalidSubscriptionError(problems);
      return [{ type: 'AlertSubscriptionCreated', data: command.data }];
    }
    case 'CancelSubscription':
      if (state.status === 'none') throw new SubscriptionNotFoundError(command.data.subscriptionId);
      return state.status === 'cancelled' ? [] : [{ type: 'AlertSubscriptionCancelled', data: command.data }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

export function evolve(state: Subscription, event: SubscriptionEvent): Subscription {
  switch (event.type) {
    case 'AlertSubscriptionCreated':
      return { status: 'active', ...definitionOf(event.data) };
    case 'AlertSubscriptionCancelled':
      return state.status === 'active' ? { ...state, status: 'cancelled' } : state;
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

export const subscriptionDecider: Decider<SubscriptionCommand, SubscriptionEvent, Subscription> = { initialState, decide, evolve };

/** Whether a subscription wants an alert event of this rule, severity and subject. */
export function matches(
  subscription: Pick<SubscriptionDefinition, 'ruleIds' | 'minSeverity' | 'scope'>,
  alert: { ruleId: string; severity: AlertSeverity; subject: AlertSubject },
): boolean {
  if (subscription.ruleIds !== null && !subscription.ruleIds.includes(alert.ruleId)) return false;
  if (severityRank(alert.severity) < severityRank(subscription.minSeverity)) return false;
  if (subscription.scope === null) return true;
  return (
    subscription.scope.kind === alert.subject.kind && (subscription.scope.key === null || subscription.scope.key === alert.subject.key)
  );
}
