import { Module, type DynamicModule } from '@nestjs/common';
import { BusinessDayClosed } from '@arc/contracts';
import { serviceModule, type ServiceAppOptions } from '@arc/platform';
import { CalendarController } from './api/calendar/calendar.controller';
import { InvoiceController } from './api/invoice/invoice.controller';
import { IssueCreditNoteController } from './api/issue-credit-note/issue-credit-note.controller';
import { IssueInvoiceController } from './api/issue-invoice/issue-invoice.controller';
import { INVOICING, type InvoicingConfig } from './config';
import { InvoiceCashConsumer } from './consumers/invoice-cash.consumer';
import { PaymentTermsConsumer } from './consumers/payment-terms.consumer';
import { INVOICE_CASH_EVENT_ROUTES } from './domain/invoice-cash.events';
import { ContractController } from './api/contracts/contract.controller';
import { DisputeReportController } from './api/receivable/dispute-report.controller';
import { ReceivableController } from './api/receivable/receivable.controller';
import { DayCloseConsumer } from './consumers/day-close.consumer';
import { DisputesAndWriteOffsConsumer } from './consumers/disputes-and-write-offs.consumer';
import { CONTRACT_EVENT_ROUTES, REFERENCE_RATE_EVENT_ROUTES } from './domain/contract.decider';
import { INVOICE_TERMS_EVENT_ROUTES } from './domain/invoice-terms.events';
import { InvoiceCommands } from './invoice-commands';
import { StatementController } from './statements/statement.controller';
import { Statements } from './statements/statements';
import { CUSTOMER_NAMES_TABLE, CustomerNamesView } from './views/customer-names.view';
import { InvoiceNumbers } from './views/invoice-numbers';
import {
  applyInvoiceEvents,
  DISPUTES_TABLE,
  INVOICES_TABLE,
  MOVEMENTS_TABLE,
  RECEIVABLES_READ_MODEL,
  ReceivablesView,
} from './views/receivables.view';
import { CREDIT_RESERVATIONS_READ_MODEL, CREDIT_RESERVATIONS_TABLE, CreditReservationsView } from './views/credit-reservations.view';
import { PAYMENT_TERMS_READ_MODEL, PAYMENT_TERMS_TABLE, PaymentTermsView } from './views/payment-terms.view';

/**
 * The invoicing service: its API (invoices, credit notes, the business calendar), its event store and
 * relay (calendar closes routed to the calendar topic), and the consumer of the customers' payment terms.
 */
@Module({})
export class AppModule {
  static forRoot(config: InvoicingConfig, options: ServiceAppOptions = {}): DynamicModule {
    return serviceModule(
      AppModule,
      INVOICING,
      config,
      {
        description:
          'Invoices: issue (terms from the contract named, else the credit policy: due dates, instalments, discount), credit and debit notes, cancellation, late interest, disputes, write-off with finance approval and legal sign-off; customer contracts and reference rates; statements of account (JSON and PDF) and the customer’s answer; the business calendar',
        controllers: [
          IssueInvoiceController,
          IssueCreditNoteController,
          InvoiceController,
          ReceivableController,
          DisputeReportController,
          ContractController,
          StatementController,
          CalendarController,
        ],
        consumers: [PaymentTermsConsumer, InvoiceCashConsumer, DayCloseConsumer, DisputesAndWriteOffsConsumer],
        providers: [
          PaymentTermsView,
          CreditReservationsView,
          CustomerNamesView,
          InvoiceNumbers,
          ReceivablesView,
          InvoiceCommands,
          Statements,
        ],
        readModels: [
          {
            name: RECEIVABLES_READ_MODEL,
            tables: [INVOICES_TABLE, MOVEMENTS_TABLE, DISPUTES_TABLE],
            source: 'store',
            apply: applyInvoiceEvents,
          },
          { name: PAYMENT_TERMS_READ_MODEL, tables: [PAYMENT_TERMS_TABLE], source: 'topics' },
          { name: CREDIT_RESERVATIONS_READ_MODEL, tables: [CREDIT_RESERVATIONS_TABLE], source: 'topics' },
          { name: 'customer-names', tables: [CUSTOMER_NAMES_TABLE], source: 'topics' },
        ],
        // The calendar's closes go to arc.calendar; its start and the invoices' copies of payments' cash stay in
        // the store (no contract, no reader outside invoicing).
        // Contracts, reference rates and the invoices' interest records are private to invoicing as well.
        routes: {
          [BusinessDayClosed.type]: config.topics.calendar,
          BusinessCalendarStarted: null,
          ...INVOICE_CASH_EVENT_ROUTES,
          ...INVOICE_TERMS_EVENT_ROUTES,
          ...CONTRACT_EVENT_ROUTES,
          ...REFERENCE_RATE_EVENT_ROUTES,
        },
      },
      options,
    );
  }
}
