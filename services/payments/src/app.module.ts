import { Module, type DynamicModule } from '@nestjs/common';
import { serviceModule, type ServiceAppOptions } from '@arc/platform';
import { PaymentAccountController, PaymentAccountReader } from './api/payment-account/payment-account.controller';
import { PaymentActionsController } from './api/payment-actions/payment-actions.controller';
import { BankStatementsController } from './api/bank-statements/bank-statements.controller';
import { SuspenseController } from './api/bank-statements/suspense.controller';
import { StatementImporter } from './statements/statement-import.service';
import { StatementStore } from './statements/statement-store';
import { PaymentHistory } from './api/payment-history';
import { RecordPaymentController } from './api/record-payment/record-payment.controller';
import { PAYMENTS, type PaymentsConfig } from './config';
import { CalendarConsumer } from './consumers/calendar.consumer';
import { CreditConsumer } from './consumers/credit.consumer';
import { InvoicingConsumer } from './consumers/invoicing.consumer';
import { BankReferences } from './views/bank-references';
import { BUSINESS_CALENDAR_READ_MODEL, BUSINESS_CALENDAR_TABLE, BusinessCalendarView } from './views/business-calendar.view';
import { CUSTOMERS_READ_MODEL, CUSTOMERS_TABLE, CustomersView } from './views/customers.view';
import { CREDIT_NOTES_TABLE, INVOICES_TABLE, OPEN_INVOICES_READ_MODEL, OpenInvoicesView } from './views/open-invoices.view';

/** The payments service: its API, its event store and relay, and the consumer of invoicing, calendar and credit events. */
@Module({})
export class AppModule {
  static forRoot(config: PaymentsConfig, options: ServiceAppOptions = {}): DynamicModule {
    return serviceModule(
      AppModule,
      PAYMENTS,
      config,
      {
        description:
          'Customer payment accounts: receipts, cash application to open invoices, discounts, short payments, unapplied cash, refunds, reversals, bank statements',
        controllers: [
          RecordPaymentController,
          PaymentAccountController,
          PaymentActionsController,
          BankStatementsController,
          SuspenseController,
        ],
        consumers: [InvoicingConsumer, CalendarConsumer, CreditConsumer],
        providers: [
          OpenInvoicesView,
          PaymentHistory,
          PaymentAccountReader,
          BankReferences,
          BusinessCalendarView,
          CustomersView,
          StatementStore,
          StatementImporter,
        ],
        readModels: [
          { name: OPEN_INVOICES_READ_MODEL, tables: [INVOICES_TABLE, CREDIT_NOTES_TABLE], source: 'topics' },
          { name: BUSINESS_CALENDAR_READ_MODEL, tables: [BUSINESS_CALENDAR_TABLE], source: 'topics' },
          { name: CUSTOMERS_READ_MODEL, tables: [CUSTOMERS_TABLE], source: 'topics' },
        ],
      },
      options,
    );
  }
}
