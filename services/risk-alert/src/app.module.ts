import { Module, type DynamicModule } from '@nestjs/common';
import { EventSourcingModule, PlatformModule, mapDomainError } from '@arc/platform';
import { AlertCommands } from './commands/alert-commands';
import { AlertRulesController } from './api/alert-rules/alert-rules.controller';
import { AlertsController } from './api/alerts/alerts.controller';
import type { RiskAlertConfig } from './config';
import { ProjectionChangesConsumer } from './consumers/projection-changes.consumer';
import { InvalidAlertRuleError } from './domain';
import { ALERT_RULES_TABLE, AlertRulesView, applyRuleEvents } from './views/alert-rules.view';
import { ALERTS_TABLE, AlertsView, applyAlertEvents } from './views/alerts.view';

export interface RiskAlertAppOptions {
  /** Default: ARC_JWT_SECRET or the development default (see @arc/auth). */
  jwtSecret?: string;
  logSink?: (line: string) => void;
}

/** The risk-alert service: rules and alerts APIs, its event store, and the projection-changes consumer. */
@Module({})
export class AppModule {
  static forRoot(config: RiskAlertConfig, options: RiskAlertAppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'risk-alert',
          description: 'Early warning: alert rules over customer figures, and the alerts they raise and resolve',
          databaseUrl: config.databaseUrl,
          // An invalid rule is bad input: 400, nothing appended (the DTO check answers first; this is the backstop).
          readModels: [
            { name: 'alert-rules', tables: [ALERT_RULES_TABLE], source: 'store', apply: applyRuleEvents },
            { name: 'alerts', tables: [ALERTS_TABLE], source: 'store', apply: applyAlertEvents },
          ],
          problems: [
            mapDomainError(InvalidAlertRuleError, {
              status: 400,
              type: 'urn:arc:problem:alert-rule-invalid',
              extensions: (e) => ({ code: e.code, problems: e.problems }),
            }),
          ],
          ...(options.jwtSecret ? { jwtSecret: options.jwtSecret } : {}),
          ...(options.logSink ? { logSink: options.logSink } : {}),
        }),
        EventSourcingModule.forRoot({
          topic: config.topics.risk,
          // Rule changes and acknowledgements are risk-alert's own record: stored, never published.
          routes: { AlertRuleDefined: null, AlertRuleChanged: null, AlertRuleRetired: null, AlertAcknowledged: null },
          relayName: config.relayName,
          brokers: config.kafkaBrokers,
          clientId: 'risk-alert',
        }),
      ],
      controllers: [AlertRulesController, AlertsController, ProjectionChangesConsumer],
      providers: [AlertRulesView, AlertsView, AlertCommands],
    };
  }
}
