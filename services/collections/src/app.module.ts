import { Module, type DynamicModule } from '@nestjs/common';
import { serviceModule, type ServiceAppOptions } from '@arc/platform';
import { ArrangementsController } from './api/arrangements/arrangements.controller';
import { CasesController } from './api/cases/cases.controller';
import { DunningRunsController } from './api/dunning-runs/dunning-runs.controller';
import { DunningStreamCommands } from './api/dunning-stream';
import { LegalController } from './api/legal/legal.controller';
import { LettersController } from './api/letters/letters.controller';
import { OpenItemsController } from './api/open-items/open-items.controller';
import { OutboxController } from './api/outbox/outbox.controller';
import { StrategiesController } from './api/strategies/strategies.controller';
import { WorklistController } from './api/worklist/worklist.controller';
import { OUTBOX_OPTIONS, OutboxDispatcher } from './channels/outbox-dispatcher';
import { COLLECTIONS, type CollectionsConfig } from './config';
import { AgingConsumer } from './consumers/aging.consumer';
import { CalendarConsumer } from './consumers/calendar.consumer';
import { ReceivablesConsumer } from './consumers/receivables.consumer';
import { INTERNAL_CASE_EVENTS, INTERNAL_DUNNING_EVENTS } from './domain';
import { CaseCloser } from './dunning/case-closer';
import { DunningRunner } from './dunning/dunning-runner';
import { CollectionsStore } from './collections-store';
import { applyCaseEvents, CASES_VIEW_TABLES, CasesView } from './views/cases.view';
import { applyDunningEvents, DUNNING_VIEW_TABLES } from './views/dunning.view';
import { ReceivablesView, RECEIVABLES_READ_MODEL, RECEIVABLES_VIEW_TABLES } from './views/receivables.view';

/** Never published: collections' own records (folded by its views). */
const UNPUBLISHED = Object.fromEntries(
  [...INTERNAL_CASE_EVENTS, 'DunningStrategySet', 'AssignmentRulesSet', ...INTERNAL_DUNNING_EVENTS].map((type) => [type, null]),
) as Record<string, null>;

/**
 * The collections service: its API, its event store and relay, the consumers (aging, receivables, calendar),
 * the dunning run and the outbox dispatcher.
 */
@Module({})
export class AppModule {
  static forRoot(config: CollectionsConfig, options: ServiceAppOptions = {}): DynamicModule {
    return serviceModule(
      AppModule,
      COLLECTIONS,
      config,
      {
        description:
          'Collection cases, dunning strategies and the daily dunning run (e-mails through an outbox, call tasks, credit-hold requests), promises to pay, repayment plans and legal escalation',
        controllers: [
          CasesController,
          StrategiesController,
          DunningRunsController,
          ArrangementsController,
          LegalController,
          OutboxController,
          LettersController,
          OpenItemsController,
          WorklistController,
        ],
        consumers: [AgingConsumer, ReceivablesConsumer, CalendarConsumer],
        providers: [
          CasesView,
          ReceivablesView,
          CollectionsStore,
          DunningRunner,
          CaseCloser,
          DunningStreamCommands,
          OutboxDispatcher,
          { provide: OUTBOX_OPTIONS, useValue: config.outbox },
        ],
        readModels: [
          { name: 'cases', tables: CASES_VIEW_TABLES, source: 'store', apply: applyCaseEvents },
          { name: 'dunning', tables: DUNNING_VIEW_TABLES, source: 'store', apply: applyDunningEvents },
          { name: RECEIVABLES_READ_MODEL, tables: RECEIVABLES_VIEW_TABLES, source: 'topics' },
        ],
        routes: UNPUBLISHED,
      },
      options,
    );
  }
}
