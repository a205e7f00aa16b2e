import { applyToExposure, type CustomerExposureState } from '../domain';
import {
  CUSTOMER,
  creditCheckPassed,
  creditPolicySet,
  invoiceIssued,
  paymentAllocated,
  paymentReceived,
  reservationReleased,
} from '../domain/testing/events';
import { deserializeExposureState, serializeExposureState } from './read-model.store';
import { sqlLiteral } from './schema';

describe('the stored exposure state', () => {
  it('comes back identical after a trip through JSON (as jsonb stores it)', () => {
    let state: CustomerExposureState | undefined;
    for (const event of [
      creditPolicySet('100000.00'),
      creditCheckPassed('60000.00'),
      reservationReleased('1000.00'),
      invoiceIssued({ reservationId: 'a1b2c3d4-0000-4000-8000-000000000001' }),
      paymentReceived('500.00'),
      paymentAllocated('200.00'),
    ]) {
      state = applyToExposure(state, event);
    }
    const stored = JSON.parse(JSON.stringify(serializeExposureState(state as CustomerExposureState))) as ReturnType<
      typeof serializeExposureState
    >;
    expect(deserializeExposureState(stored)).toEqual(state);
    expect(stored.customerId).toBe(CUSTOMER);
  });
});

describe('sqlLiteral', () => {
  it('quotes a password for DDL, doubling single quotes', () => {
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(() => sqlLiteral('a\0b')).toThrow();
  });
});
