/*
 * Legal escalation of a customer's debt: handed over to legal, then lawyer letters, an agency (assigned,
 * recalled), arbitration or litigation, a judgment, and an outcome that closes the legal case. While a legal
 * case is open the customer receives no reminders. The limitation date (when the claim would lapse) is set at
 * hand-over and moved by each acknowledgement of the debt.
 */
import { addMonths, parseBusinessDate } from '@arc/clock';
import { toJson, type Money } from '@arc/money';
import { v5 } from 'uuid';
import { LegalCaseStateError } from './collections.errors';
import type { CustomerDunningEvent, LegalAction, LegalOutcome } from './customer-dunning.events';

/** The statutory period a claim lapses after (German and French law: three years; configure per country later). */
export const LIMITATION_MONTHS = 36;

export interface LegalCase {
  legalCaseId: string;
  status: 'open' | 'closed';
  openedOn: string;
  limitationDate: string;
  steps: LegalAction[];
  agencyAssigned: boolean;
  judgment: boolean;
}

export type HandOverToLegal = {
  type: 'HandOverToLegal';
  data: { customerId: string; legalCaseId: string; on: string; reason: string };
};
export type RecordLegalStep = {
  type: 'RecordLegalStep';
  data: { customerId: string; action: LegalAction; on: string; details: Record<string, unknown> };
};
export type AcknowledgeDebt = { type: 'AcknowledgeDebt'; data: { customerId: string; on: string } };
export type CloseLegalCase = {
  type: 'CloseLegalCase';
  data: {
    customerId: string;
    on: string;
    outcome: LegalOutcome;
    recovered: Money;
    note: string;
    /** What is still open on the customer's invoices (instalments each): written off, each invoice's is recommended for write-off. */
    openItems: readonly { invoiceId: string; invoiceNumber: string; open: Money }[];
    /** The legal subject recording the outcome. */
    by: string;
  };
};

/** Fixed forever: a write-off recommendation's id derives from it, the legal case and the invoice. */
export const WRITE_OFF_ID_NAMESPACE = '8c1f4b2a-6d3e-4f5a-9b7c-2e1d0a9f8b6c';
export type LegalCommand = HandOverToLegal | RecordLegalStep | AcknowledgeDebt | CloseLegalCase;

const limitationFrom = (on: string): string => addMonths(parseBusinessDate(on), LIMITATION_MONTHS);

function openCase(legal: LegalCase | null, what: string): LegalCase {
  if (legal === null || legal.status !== 'open') throw new LegalCaseStateError(`${what} needs an open legal case`);
  return legal;
}

export function decideLegal(command: LegalCommand, legal: LegalCase | null): CustomerDunningEvent[] {
  switch (command.type) {
    case 'HandOverToLegal': {
      const d = command.data;
      if (legal?.status === 'open') {
        if (legal.legalCaseId === d.legalCaseId) return [];
        throw new LegalCaseStateError('the customer is already with legal');
      }
      return [
        {
          type: 'LegalCaseOpened',
          data: {
            customerId: d.customerId,
            legalCaseId: d.legalCaseId,
            openedOn: d.on,
            reason: d.reason,
            limitationDate: limitationFrom(d.on),
          },
        },
      ];
    }
    case 'RecordLegalStep': {
      const d = command.data;
      const open = openCase(legal, d.action);
      if (d.action === 'agency-recalled' && !open.agencyAssigned) throw new LegalCaseStateError('no agency is assigned to recall');
      if (d.action === 'judgment' && !open.steps.includes('proceedings-started'))
        throw new LegalCaseStateError('a judgment needs arbitration or litigation started first');
      if (d.action === 'judgment' && open.judgment) throw new LegalCaseStateError('the judgment is already recorded');
      return [
        {
          type: 'LegalStepRecorded',
          data: { customerId: d.customerId, legalCaseId: open.legalCaseId, action: d.action, on: d.on, details: d.details },
        },
      ];
    }
    case 'AcknowledgeDebt': {
      const open = openCase(legal, 'an acknowledgement of the debt');
      const limitationDate = limitationFrom(command.data.on);
      if (limitationDate <= open.limitationDate) return [];
      return [
        {
          type: 'DebtAcknowledged',
          data: { customerId: command.data.customerId, legalCaseId: open.legalCaseId, acknowledgedOn: command.data.on, limitationDate },
        },
      ];
    }
    case 'CloseLegalCase': {
      const d = command.data;
      const open = openCase(legal, 'closing');
      const closed: CustomerDunningEvent = {
        type: 'LegalCaseClosed',
        data: {
          customerId: d.customerId,
          legalCaseId: open.legalCaseId,
          closedOn: d.on,
          outcome: d.outcome,
          recovered: toJson(d.recovered),
          note: d.note,
        },
      };
      return d.outcome === 'written-off' ? [closed, ...writeOffRecommendations(d, open.legalCaseId)] : [closed];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** Written off: one WriteOffRecommended per invoice still open (its instalments added up), for invoicing to act on. */
function writeOffRecommendations(d: CloseLegalCase['data'], legalCaseId: string): CustomerDunningEvent[] {
  const byInvoice = new Map<string, { invoiceNumber: string; open: Money }>();
  for (const item of d.openItems) {
    const seen = byInvoice.get(item.invoiceId);
    byInvoice.set(item.invoiceId, {
      invoiceNumber: item.invoiceNumber,
      open: seen ? { ...seen.open, amountMinor: seen.open.amountMinor + item.open.amountMinor } : item.open,
    });
  }
  return [...byInvoice]
    .filter(([, { open }]) => open.amountMinor > 0n)
    .map(([invoiceId, { invoiceNumber, open }]) => ({
      type: 'WriteOffRecommended' as const,
      data: {
        writeOffId: v5(`write-off:${legalCaseId}:${invoiceId}`, WRITE_OFF_ID_NAMESPACE),
        invoiceId,
        invoiceNumber,
        customerId: d.customerId,
        amount: toJson(open),
        recommendedOn: d.on,
        recommendedBy: d.by,
        legalCaseId,
        reason: `legal case closed as written off${d.note ? `: ${d.note}` : ''}`,
      },
    }));
}

export function evolveLegal(legal: LegalCase | null, event: CustomerDunningEvent): LegalCase | null {
  switch (event.type) {
    case 'LegalCaseOpened':
      return {
        legalCaseId: event.data.legalCaseId,
        status: 'open',
        openedOn: event.data.openedOn,
        limitationDate: event.data.limitationDate,
        steps: [],
        agencyAssigned: false,
        judgment: false,
      };
    case 'LegalStepRecorded': {
      if (legal === null) return legal;
      const action = event.data.action;
      return {
        ...legal,
        steps: [...legal.steps, action],
        agencyAssigned: action === 'agency-assigned' ? true : action === 'agency-recalled' ? false : legal.agencyAssigned,
        judgment: legal.judgment || action === 'judgment',
      };
    }
    case 'DebtAcknowledged':
      return legal && { ...legal, limitationDate: event.data.limitationDate };
    case 'LegalCaseClosed':
      return legal && { ...legal, status: 'closed' };
    default:
      return legal;
  }
}
