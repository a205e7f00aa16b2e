import { Module, type DynamicModule } from '@nestjs/common';
import { BusinessDayClosed } from '@arc/contracts';
import { EventSourcingModule, PlatformModule } from '@arc/platform';
import { CalendarController } from './api/calendar/calendar.controller';
import { InvoiceController } from './api/invoice/invoice.controller';
import { IssueCreditNoteController } from './api/issue-credit-note/issue-credit-note.controller';
import { IssueInvoiceController } from './api/issue-invoice/issue-invoice.controller';
import type { InvoicingConfig } from './config';
import { InvoiceCashConsumer } from './consumers/invoice-cash.consumer';
import { PaymentTermsConsumer } from './consumers/payment-terms.consumer';
import { INVOICE_CASH_EVENT_ROUTES } from './domain/invoice-cash.events';
import { InvoiceNumbers } from './views/invoice-numbers';
import { CREDIT_RESERVATIONS_READ_MODEL, CREDIT_RESERVATIONS_TABLE, CreditReservationsView } from './views/credit-reservations.view';
import { PAYMENT_TERMS_READ_MODEL, PAYMENT_TERMS_TABLE, PaymentTermsView } from './views/payment-terms.view';

export interface InvoicingAppOptions {
  /** Default: ARC_JWT_SECRET or the development default (see @arc/auth). */
  jwtSecret?: string;
  logSink?: (line: string) => void;
}

/**
 * The invoicing service: its API (invoices, credit notes, the business calendar), its event store and
 * relay (calendar closes routed to the calendar topic), and the consumer of the customers' payment terms.
 */
@Module({})
export class AppModule {
  static forRoot(config: InvoicingConfig, options: InvoicingAppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'invoicing',
          description:
            'Invoices and credit notes: issue (due date from the customer’s payment terms), credit, read; the business calendar: start, close days, read',
          databaseUrl: config.databaseUrl,
          readModels: [
            { name: PAYMENT_TERMS_READ_MODEL, tables: [PAYMENT_TERMS_TABLE], source: 'topics' },
            { name: CREDIT_RESERVATIONS_READ_MODEL, tables: [CREDIT_RESERVATIONS_TABLE], source: 'topics' },
          ],
          ...(options.jwtSecret ? { jwtSecret: options.jwtSecret } : {}),
          ...(options.logSink ? { logSink: options.logSink } : {}),
        }),
        EventSourcingModule.forRoot({
          topic: config.topics.invoicing,
          // The calendar's closes go to arc.calendar; its start and the invoices' copies of payments' cash stay in
          // the store (no contract, no reader outside invoicing).
          routes: { [BusinessDayClosed.type]: config.topics.calendar, BusinessCalendarStarted: null, ...INVOICE_CASH_EVENT_ROUTES },
          relayName: config.relayName,
          brokers: config.kafkaBrokers,
          clientId: 'invoicing',
        }),
      ],
      controllers: [
        IssueInvoiceController,
        IssueCreditNoteController,
        InvoiceController,
        CalendarController,
        PaymentTermsConsumer,
        InvoiceCashConsumer,
      ],
      providers: [PaymentTermsView, CreditReservationsView, InvoiceNumbers],
    };
  }
}
