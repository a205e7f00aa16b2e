import { Module, type DynamicModule } from '@nestjs/common';
import { mapDomainError, serviceModule, type ServiceAppOptions } from '@arc/platform';
import { AlertCommands } from './commands/alert-commands';
import { AlertRulesController } from './api/alert-rules/alert-rules.controller';
import { AlertsController } from './api/alerts/alerts.controller';
import { DEFAULT_WEBHOOK_OPTIONS, RISK_ALERT, type RiskAlertConfig } from './config';
import { DeliveriesController, SubscriptionsController } from './api/subscriptions/subscriptions.controller';
import { WEBHOOK_OPTIONS, WebhookDispatcher } from './delivery/webhook-dispatcher';
import { BacktestsController } from './api/backtests/backtests.controller';
import { BACKTEST_SOURCE, BacktestRunner } from './backtest/log-source';
import { InvalidSubscriptionError } from './domain';
import { SUBSCRIPTIONS_TABLE, SubscriptionsView, applySubscriptionEvents } from './views/subscriptions.view';
import { ProjectionChangesConsumer } from './consumers/projection-changes.consumer';
import { BrokenPromisesConsumer } from './consumers/broken-promises.consumer';
import { CreditCoversConsumer, InsuredExposure } from './consumers/insured-exposure';
import { ReceivablesConsumer } from './consumers/receivables.consumer';
import { InvoiceAlerts } from './consumers/invoice-alerts';
import { InvoicesView } from './views/invoices.view';
import { InvalidAlertRuleError } from './domain';
import { ALERT_RULES_TABLE, AlertRulesView, applyRuleEvents } from './views/alert-rules.view';
import { ALERTS_TABLE, AlertsView, applyAlertEvents } from './views/alerts.view';

/** The risk-alert service: rules and alerts APIs, its event store, and the projection-changes consumer. */
@Module({})
export class AppModule {
  static forRoot(config: RiskAlertConfig, options: ServiceAppOptions = {}): DynamicModule {
    return serviceModule(
      AppModule,
      RISK_ALERT,
      config,
      {
        description: 'Early warning: alert rules over customer figures, and the alerts they raise and resolve',
        controllers: [AlertRulesController, AlertsController, SubscriptionsController, DeliveriesController, BacktestsController],
        consumers: [ProjectionChangesConsumer, BrokenPromisesConsumer, CreditCoversConsumer, ReceivablesConsumer],
        providers: [
          AlertRulesView,
          AlertsView,
          AlertCommands,
          SubscriptionsView,
          InsuredExposure,
          InvoicesView,
          InvoiceAlerts,
          WebhookDispatcher,
          BacktestRunner,
          {
            provide: BACKTEST_SOURCE,
            useValue: { brokers: config.kafkaBrokers, topic: config.topics.projectionChanges, clientId: `${RISK_ALERT.name}-backtest` },
          },
          { provide: WEBHOOK_OPTIONS, useValue: config.webhooks ?? DEFAULT_WEBHOOK_OPTIONS },
        ],
        readModels: [
          { name: 'alert-rules', tables: [ALERT_RULES_TABLE], source: 'store', apply: applyRuleEvents },
          { name: 'alerts', tables: [ALERTS_TABLE], source: 'store', apply: applyAlertEvents },
          { name: 'alert-subscriptions', tables: [SUBSCRIPTIONS_TABLE], source: 'store', apply: applySubscriptionEvents },
        ],
        // An invalid rule is bad input: 400, nothing appended (the DTO check answers first; this is the backstop).
        problems: [
          mapDomainError(InvalidAlertRuleError, {
            status: 400,
            type: 'urn:arc:problem:alert-rule-invalid',
            extensions: (e) => ({ code: e.code, problems: e.problems }),
          }),
          mapDomainError(InvalidSubscriptionError, {
            status: 400,
            type: 'urn:arc:problem:alert-subscription-invalid',
            extensions: (e) => ({ code: e.code, problems: e.problems }),
          }),
        ],
        // Rule changes and acknowledgements are risk-alert's own record: stored, never published.
        routes: {
          AlertRuleDefined: null,
          AlertRuleChanged: null,
          AlertRuleRetired: null,
          AlertAcknowledged: null,
          AlertSubscriptionCreated: null,
          AlertSubscriptionCancelled: null,
        },
      },
      options,
    );
  }
}
