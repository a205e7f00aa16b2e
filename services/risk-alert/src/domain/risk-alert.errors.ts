/*
 * Commands the rule and alert aggregates refuse. A refusal is an error, never an event.
 * `category`: 'state-conflict' (409, the current state forbids it), 'invalid-request' (422, never valid) or
 * 'not-found' (404, the command names a rule that was never defined).
 */
import { DomainError } from '@arc/decider';

export abstract class RiskAlertDomainError extends DomainError {}

export class InvalidAlertRuleError extends RiskAlertDomainError {
  override readonly name = 'InvalidAlertRuleError';
  readonly code = 'ALERT_RULE_INVALID';
  readonly category = 'invalid-request';
  constructor(readonly problems: string[]) {
    super(`invalid alert rule: ${problems.join('; ')}`);
  }
}

export class AlertRuleAlreadyDefinedError extends RiskAlertDomainError {
  override readonly name = 'AlertRuleAlreadyDefinedError';
  readonly code = 'ALERT_RULE_ALREADY_DEFINED';
  readonly category = 'state-conflict';
  constructor(readonly ruleId: string) {
    super(`alert rule ${ruleId} is already defined differently (or was retired): change it, or define a new rule`);
  }
}

export class AlertRuleNotDefinedError extends RiskAlertDomainError {
  override readonly name = 'AlertRuleNotDefinedError';
  readonly code = 'ALERT_RULE_NOT_DEFINED';
  readonly category = 'not-found';
  constructor(readonly ruleId: string) {
    super(`alert rule ${ruleId} is not defined`);
  }
}

export class AlertRuleRetiredError extends RiskAlertDomainError {
  override readonly name = 'AlertRuleRetiredError';
  readonly code = 'ALERT_RULE_RETIRED';
  readonly category = 'state-conflict';
  constructor(readonly ruleId: string) {
    super(`alert rule ${ruleId} is retired and can no longer change`);
  }
}

export class AlertRuleMetricChangeError extends RiskAlertDomainError {
  override readonly name = 'AlertRuleMetricChangeError';
  readonly code = 'ALERT_RULE_METRIC_CHANGE';
  readonly category = 'invalid-request';
  constructor(
    readonly ruleId: string,
    from: string,
    to: string,
  ) {
    super(`alert rule ${ruleId} watches ${from}; watching ${to} is another rule: retire this one and define a new one`);
  }
}

export class AlertStreamMismatchError extends RiskAlertDomainError {
  override readonly name = 'AlertStreamMismatchError';
  readonly code = 'ALERT_STREAM_MISMATCH';
  readonly category = 'invalid-request';
  constructor(expected: string, actual: string) {
    super(`this alert stream belongs to ${expected}, not ${actual}`);
  }
}

export class AlertNotOpenError extends RiskAlertDomainError {
  override readonly name = 'AlertNotOpenError';
  readonly code = 'ALERT_NOT_OPEN';
  readonly category = 'state-conflict';
  constructor(readonly alertId: string) {
    super(`alert ${alertId} is not open: it was resolved, or never raised here`);
  }
}

export class InvalidSubscriptionError extends RiskAlertDomainError {
  override readonly name = 'InvalidSubscriptionError';
  readonly code = 'ALERT_SUBSCRIPTION_INVALID';
  readonly category = 'invalid-request';
  constructor(readonly problems: string[]) {
    super(`invalid alert subscription: ${problems.join('; ')}`);
  }
}

export class SubscriptionAlreadyExistsError extends RiskAlertDomainError {
  override readonly name = 'SubscriptionAlreadyExistsError';
  readonly code = 'ALERT_SUBSCRIPTION_EXISTS';
  readonly category = 'state-conflict';
  constructor(readonly subscriptionId: string) {
    super(`alert subscription ${subscriptionId} already exists with other content (or was cancelled): create a new one`);
  }
}

export class SubscriptionNotFoundError extends RiskAlertDomainError {
  override readonly name = 'SubscriptionNotFoundError';
  readonly code = 'ALERT_SUBSCRIPTION_NOT_FOUND';
  readonly category = 'not-found';
  constructor(readonly subscriptionId: string) {
    super(`alert subscription ${subscriptionId} does not exist`);
  }
}
