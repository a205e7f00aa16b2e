import { given } from '@arc/decider/testing';
import { matches, subscriptionDecider as decider, type CreateSubscription, type SubscriptionDefinition } from './subscription.decider';
import { InvalidSubscriptionError, SubscriptionAlreadyExistsError, SubscriptionNotFoundError } from './risk-alert.errors';

const AT = '2026-02-01T09:00:00.000Z';
const definition: SubscriptionDefinition = {
  subscriptionId: 'collections-utilisation',
  department: 'collections',
  url: 'https://hooks.example.com/arc',
  secret: 'a-secret-of-enough-length',
  ruleIds: ['utilisation'],
  minSeverity: 'warning',
  scope: { kind: 'customer', key: null },
};
const create = (changes: Partial<SubscriptionDefinition> = {}): CreateSubscription => ({
  type: 'CreateSubscription',
  data: { ...definition, ...changes, createdBy: 'user:risk-1', createdAt: AT },
});
const created = { type: 'AlertSubscriptionCreated' as const, data: create().data };
const cancel = {
  type: 'CancelSubscription' as const,
  data: { subscriptionId: definition.subscriptionId, cancelledBy: 'user:risk-1', cancelledAt: AT },
};

describe('department subscription', () => {
  it('is created once; the same creation again changes nothing, another content under its id is refused', () => {
    given(decider, []).when(create()).then([created]);
    given(decider, [created]).when(create()).thenNothingHappens();
    given(decider, [created])
      .when(create({ minSeverity: 'critical' }))
      .thenThrows(SubscriptionAlreadyExistsError);
  });

  it('refuses a url that is not http(s), a short secret, an empty rule list and a keyed portfolio scope', () => {
    for (const changes of [
      { url: 'ftp://example.com' },
      { url: 'not a url' },
      { secret: 'short' },
      { ruleIds: [] },
      { scope: { kind: 'portfolio' as const, key: 'x' } },
      { department: 'Collections' },
    ]) {
      given(decider, []).when(create(changes)).thenThrows(InvalidSubscriptionError);
    }
  });

  it('is cancelled once, and stays cancelled (a new creation under its id is refused)', () => {
    given(decider, [created])
      .when(cancel)
      .then([{ type: 'AlertSubscriptionCancelled', data: cancel.data }]);
    given(decider, [created, { type: 'AlertSubscriptionCancelled', data: cancel.data }])
      .when(cancel)
      .thenNothingHappens();
    given(decider, [created, { type: 'AlertSubscriptionCancelled', data: cancel.data }])
      .when(create())
      .thenThrows(SubscriptionAlreadyExistsError);
    given(decider, []).when(cancel).thenThrows(SubscriptionNotFoundError);
  });

  it('routes by rule, lowest severity and scope', () => {
    const alert = { ruleId: 'utilisation', severity: 'warning' as const, subject: { kind: 'customer' as const, key: 'c1' } };
    expect(matches(definition, alert)).toBe(true);
    expect(matches(definition, { ...alert, ruleId: 'other' })).toBe(false);
    expect(matches(definition, { ...alert, severity: 'info' })).toBe(false);
    expect(matches(definition, { ...alert, severity: 'critical' })).toBe(true);
    expect(matches(definition, { ...alert, subject: { kind: 'business-unit', key: 'EMEA' } })).toBe(false);
    expect(matches({ ...definition, scope: { kind: 'customer', key: 'c2' } }, alert)).toBe(false);
    expect(matches({ ruleIds: null, minSeverity: 'info', scope: null }, { ...alert, subject: { kind: 'portfolio', key: null } })).toBe(
      true,
    );
  });
});
