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
import { InvoiceNumbers } from './views/invoice-numbers';
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
          'Invoices and credit notes: issue (due date from the customer’s payment terms), credit, read; the business calendar: start, close days, read',
        controllers: [IssueInvoiceController, IssueCreditNoteController, InvoiceController, CalendarController],
        consumers: [PaymentTermsConsumer, InvoiceCashConsumer],
        providers: [PaymentTermsView, CreditReservationsView, InvoiceNumbers],
        readModels: [
          { name: PAYMENT_TERMS_READ_MODEL, tables: [PAYMENT_TERMS_TABLE], source: 'topics' },
          { name: CREDIT_RESERVATIONS_READ_MODEL, tables: [CREDIT_RESERVATIONS_TABLE], source: 'topics' },
        ],
        // The calendar's closes go to arc.calendar; its start and the invoices' copies of payments' cash stay in
        // the store (no contract, no reader outside invoicing).
        routes: { [BusinessDayClosed.type]: config.topics.calendar, BusinessCalendarStarted: null, ...INVOICE_CASH_EVENT_ROUTES },
      },
      options,
    );
  }
}
