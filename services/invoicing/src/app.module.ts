import { Module, type DynamicModule } from '@nestjs/common';
import { Pool } from 'pg';
import { EventSourcingModule, PlatformModule } from '@arc/platform';
import { InvoiceController } from './api/invoice/invoice.controller';
import { IssueCreditNoteController } from './api/issue-credit-note/issue-credit-note.controller';
import { IssueInvoiceController } from './api/issue-invoice/issue-invoice.controller';
import type { InvoicingConfig } from './config';
import { PaymentTermsConsumer } from './consumers/payment-terms.consumer';
import { InvoiceNumbers } from './views/invoice-numbers';
import { PaymentTermsView } from './views/payment-terms.view';

export interface InvoicingAppOptions {
  /** Default: ARC_JWT_SECRET or the development default (see @arc/auth). */
  jwtSecret?: string;
  logSink?: (line: string) => void;
}

/** The invoicing service: its API, its event store and relay, and the consumer of the customers' payment terms. */
@Module({})
export class AppModule {
  static forRoot(config: InvoicingConfig, options: InvoicingAppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'invoicing',
          description: 'Invoices and credit notes: issue (due date from the customer’s payment terms), credit, read',
          pgPool: {
            useFactory: () => {
              const pool = new Pool({ connectionString: config.databaseUrl, max: 20 });
              pool.on('error', () => undefined); // a dropped idle connection is replaced on the next query
              return pool;
            },
          },
          ...(options.jwtSecret ? { jwtSecret: options.jwtSecret } : {}),
          ...(options.logSink ? { logSink: options.logSink } : {}),
        }),
        EventSourcingModule.forRoot({ topic: config.topics.invoicing, relayName: config.relayName, brokers: config.kafkaBrokers, clientId: 'invoicing' }),
      ],
      controllers: [IssueInvoiceController, IssueCreditNoteController, InvoiceController, PaymentTermsConsumer],
      providers: [PaymentTermsView, InvoiceNumbers],
    };
  }
}
