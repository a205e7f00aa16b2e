export {
  alertRuleDecider,
  alertRuleStreamId,
  changeRule,
  defineRule,
  retireRule,
  ruleSnapshot,
  type AlertRule,
  type AlertRuleChanged,
  type AlertRuleCommand,
  type AlertRuleDefined,
  type AlertRuleEvent,
  type AlertRuleRetired,
  type ChangeRule,
  type DefineRule,
  type RetireRule,
  type RuleSnapshot,
} from './alert-rule.decider';
export {
  acknowledgeAlert,
  alertDecider,
  alertStreamId,
  alertStreamKey,
  evaluateAlert,
  withdrawAlert,
  type AcknowledgeAlert,
  type Alert,
  type AlertAcknowledged,
  type AlertCommand,
  type AlertEvent,
  type EvaluateAlert,
  type WithdrawAlert,
} from './alert.decider';
export * from './levels';
export * from './metrics';
export * from './risk-alert.errors';
export {
  matches,
  subscriptionDecider,
  subscriptionStreamId,
  type AlertSubscriptionCancelled,
  type AlertSubscriptionCreated,
  type CancelSubscription,
  type CreateSubscription,
  type Subscription,
  type SubscriptionCommand,
  type SubscriptionDefinition,
  type SubscriptionEvent,
} from './subscription.decider';
export * from './invoices';
export * from './alert-message';
