/*
 * A toy aggregate for the decider library's own tests: a customer's credit line, from which orders reserve
 * credit. Money is bigint in state and a string of minor units in event data, as in ARC's domains.
 */
import type { Decider } from '@arc/decider';

export type CreditLineCommand =
  | { type: 'OpenCreditLine'; data: { limitMinor: string; openedOn: string } }
  | { type: 'ReserveCredit'; data: { reservationId: string; amountMinor: string; reservedAt: string } }
  | { type: 'ReleaseCredit'; data: { reservationId: string; releasedAt: string } };

export type CreditLineEvent =
  | { type: 'CreditLineOpened'; data: { limitMinor: string; openedOn: string } }
  | { type: 'CreditReserved'; data: { reservationId: string; amountMinor: string; reservedAt: string } }
  | { type: 'CreditReleased'; data: { reservationId: string; amountMinor: string; releasedAt: string } };

export type CreditLine = { status: 'unopened' } | { status: 'open'; limitMinor: bigint; reservations: ReadonlyMap<string, bigint> };

export class CreditLineNotOpenError extends Error {
  override name = 'CreditLineNotOpenError';
}
export class CreditLineAlreadyOpenError extends Error {
  override name = 'CreditLineAlreadyOpenError';
}
export class InsufficientCreditError extends Error {
  override name = 'InsufficientCreditError';
}
export class UnknownReservationError extends Error {
  override name = 'UnknownReservationError';
}

export function availableMinor(line: CreditLine): bigint {
  if (line.status !== 'open') return 0n;
  let reserved = 0n;
  for (const amount of line.reservations.values()) reserved += amount;
  return line.limitMinor - reserved;
}

function decide(command: CreditLineCommand, line: CreditLine): CreditLineEvent[] {
  switch (command.type) {
    case 'OpenCreditLine':
      if (line.status === 'open') {
        if (line.limitMinor === BigInt(command.data.limitMinor)) return [];
        throw new CreditLineAlreadyOpenError(`the credit line is already open with a limit of ${line.limitMinor}`);
      }
      return [{ type: 'CreditLineOpened', data: command.data }];
    case 'ReserveCredit': {
      if (line.status !== 'open') throw new CreditLineNotOpenError('no credit line to reserve from');
      if (line.reservations.has(command.data.reservationId)) return [];
      if (BigInt(command.data.amountMinor) > availableMinor(line)) {
        throw new InsufficientCreditError(`only ${availableMinor(line)} available, ${command.data.amountMinor} asked`);
      }
      return [{ type: 'CreditReserved', data: command.data }];
    }
    case 'ReleaseCredit': {
      if (line.status !== 'open') throw new CreditLineNotOpenError('no credit line to release to');
      const amount = line.reservations.get(command.data.reservationId);
      if (amount === undefined) throw new UnknownReservationError(`no reservation ${command.data.reservationId}`);
      return [{ type: 'CreditReleased', data: { ...command.data, amountMinor: amount.toString() } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

function evolve(line: CreditLine, event: CreditLineEvent): CreditLine {
  switch (event.type) {
    case 'CreditLineOpened':
      return { status: 'open', limitMinor: BigInt(event.data.limitMinor), reservations: new Map() };
    case 'CreditReserved': {
      if (line.status !== 'open') return line;
      const reservations = new Map(line.reservations);
      reservations.set(event.data.reservationId, BigInt(event.data.amountMinor));
      return { ...line, reservations };
    }
    case 'CreditReleased': {
      if (line.status !== 'open') return line;
      const reservations = new Map(line.reservations);
      reservations.delete(event.data.reservationId);
      return { ...line, reservations };
    }
  }
}

export const creditLineDecider: Decider<CreditLineCommand, CreditLineEvent, CreditLine> = {
  initialState: { status: 'unopened' },
  decide,
  evolve,
  schemaVersions: { CreditReleased: 2 },
};
