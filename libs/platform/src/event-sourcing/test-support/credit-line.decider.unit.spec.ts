import { given } from '@arc/decider/testing';
import {
  CreditLineAlreadyOpenError,
  CreditLineNotOpenError,
  creditLineDecider,
  InsufficientCreditError,
  UnknownReservationError,
  type CreditLineEvent,
} from './credit-line.decider';

const opened: CreditLineEvent = { type: 'CreditLineOpened', data: { limitMinor: '100000', openedOn: '2025-03-01' } };
const reserved = (reservationId: string, amountMinor: string, reservedAt = '2025-03-02T10:00:00Z'): CreditLineEvent => ({
  type: 'CreditReserved',
  data: { reservationId, amountMinor, reservedAt },
});

describe('credit line (the example decider)', () => {
  describe('before it is opened', () => {
    it('opens with the limit given', () => {
      given(creditLineDecider)
        .when({ type: 'OpenCreditLine', data: { limitMinor: '100000', openedOn: '2025-03-01' } })
        .then([opened]);
    });

    it('refuses a reservation', () => {
      given(creditLineDecider)
        .when({ type: 'ReserveCredit', data: { reservationId: 'r1', amountMinor: '1', reservedAt: '2025-03-02T10:00:00Z' } })
        .thenThrows(CreditLineNotOpenError);
    });
  });

  describe('once open', () => {
    it('takes opening it again with the same limit as a repeat that changes nothing', () => {
      given(creditLineDecider, [opened])
        .when({ type: 'OpenCreditLine', data: { limitMinor: '100000', openedOn: '2025-03-05' } })
        .thenNothingHappens();
    });

    it('refuses to reopen it with another limit', () => {
      given(creditLineDecider, [opened])
        .when({ type: 'OpenCreditLine', data: { limitMinor: '5', openedOn: '2025-03-05' } })
        .thenThrows(CreditLineAlreadyOpenError);
    });

    it('reserves credit up to the whole available amount', () => {
      given(creditLineDecider, [opened, reserved('r1', '60000')])
        .when({ type: 'ReserveCredit', data: { reservationId: 'r2', amountMinor: '40000', reservedAt: '2025-03-02T10:00:00Z' } })
        .then([reserved('r2', '40000')]);
    });

    it('refuses a reservation beyond the available amount', () => {
      given(creditLineDecider, [opened, reserved('r1', '60000')])
        .when({ type: 'ReserveCredit', data: { reservationId: 'r2', amountMinor: '40001', reservedAt: '2025-03-02T10:00:00Z' } })
        .thenThrows(/only 40000 available/);
    });

    it('takes a repeated reservation as a no-op', () => {
      given(creditLineDecider, [opened, reserved('r1', '60000')])
        .when({ type: 'ReserveCredit', data: { reservationId: 'r1', amountMinor: '60000', reservedAt: '2025-03-02T11:00:00Z' } })
        .thenNothingHappens();
    });

    it('releases a reservation for the amount that was reserved', () => {
      given(creditLineDecider, [opened, reserved('r1', '60000')])
        .when({ type: 'ReleaseCredit', data: { reservationId: 'r1', releasedAt: '2025-03-03T09:00:00Z' } })
        .then([{ type: 'CreditReleased', data: { reservationId: 'r1', amountMinor: '60000', releasedAt: '2025-03-03T09:00:00Z' } }]);
    });

    it('refuses to release a reservation it does not hold', () => {
      given(creditLineDecider, [opened])
        .when({ type: 'ReleaseCredit', data: { reservationId: 'r9', releasedAt: '2025-03-03T09:00:00Z' } })
        .thenThrows(UnknownReservationError);
    });

    it('makes released credit available again', () => {
      const released: CreditLineEvent = {
        type: 'CreditReleased',
        data: { reservationId: 'r1', amountMinor: '100000', releasedAt: '2025-03-03T09:00:00Z' },
      };
      given(creditLineDecider, [opened, reserved('r1', '100000'), released])
        .when({ type: 'ReserveCredit', data: { reservationId: 'r2', amountMinor: '100000', reservedAt: '2025-03-04T10:00:00Z' } })
        .then([reserved('r2', '100000', '2025-03-04T10:00:00Z')]);
    });

    it('refuses any reservation while the whole limit is reserved', () => {
      given(creditLineDecider, [opened, reserved('r1', '100000')])
        .when({ type: 'ReserveCredit', data: { reservationId: 'r2', amountMinor: '1', reservedAt: '2025-03-04T10:00:00Z' } })
        .thenThrows(InsufficientCreditError);
    });
  });
});
