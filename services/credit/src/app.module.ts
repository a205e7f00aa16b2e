import { Module, type DynamicModule } from '@nestjs/common';
import { serviceModule, type ServiceAppOptions } from '@arc/platform';
import { ApprovalMatrixController } from './api/approval-matrix/approval-matrix.controller';
import { AssessCustomerController } from './api/assess-customer/assess-customer.controller';
import { CheckCreditController } from './api/check-credit/check-credit.controller';
import { ConfigurationInForce } from './api/configuration-in-force';
import { ConvertedOpenAr } from './commands/converted-open-ar';
import { GroupAwareCheck } from './commands/group-aware-check';
import { CreditGroupsController } from './api/credit-groups/credit-groups.controller';
import { DecideCreditLimitController } from './api/decide-credit-limit/decide-credit-limit.controller';
import { FxRatesInForce } from './api/fx-rates-in-force';
import { FxRatesController } from './api/fx-rates/fx-rates.controller';
import { RequestCreditLimitController } from './api/request-credit-limit/request-credit-limit.controller';
import { ScoringModelController } from './api/scoring-model/scoring-model.controller';
import { CreditStandingController } from './api/credit-standing/credit-standing.controller';
import { PlaceHoldController } from './api/place-hold/place-hold.controller';
import { RegisterCustomerController } from './api/register-customer/register-customer.controller';
import { ReleaseHoldController } from './api/release-hold/release-hold.controller';
import { ReleaseReservationController } from './api/release-reservation/release-reservation.controller';
import { SetCreditPolicyController } from './api/set-credit-policy/set-credit-policy.controller';
import { CREDIT, type CreditConfig } from './config';
import { ReceivablesConsumer } from './consumers/receivables.consumer';
import { OPEN_AR_READ_MODEL, OPEN_AR_TABLE, OpenArView, RECEIVABLES_TABLE } from './views/open-ar.view';
import { TEMPORARY_LIMITS_READ_MODEL, TEMPORARY_LIMITS_TABLE, TemporaryLimitsView } from './views/temporary-limits.view';
import { TemporaryLimitsConsumer } from './consumers/temporary-limits.consumer';
import { ReviewScheduleConsumer } from './consumers/review-schedule.consumer';
import { DayCloseConsumer } from './consumers/day-close.consumer';
import { CollectionsHoldsConsumer } from './consumers/collections-holds.consumer';
import { RiskHoldsConsumer } from './consumers/risk-holds.consumer';
import { CustomerReview } from './commands/customer-review';
import { CreditFileController } from './api/credit-file/credit-file.controller';
import { ReviewCustomerController } from './api/review-customer/review-customer.controller';
import {
  BROKEN_PROMISES_TABLE,
  LAST_CLOSED_DAY_TABLE,
  REVIEW_SCHEDULE_READ_MODEL,
  REVIEW_SCHEDULE_TABLE,
  ReviewScheduleView,
} from './views/review-schedule.view';

/** The credit service: its API, its event store and relay, and its consumers (invoicing, payments, calendar, collections, its own topic). */
@Module({})
export class AppModule {
  static forRoot(config: CreditConfig, options: ServiceAppOptions = {}): DynamicModule {
    return serviceModule(
      AppModule,
      CREDIT,
      config,
      {
        description:
          'Customer credit: registration, 5C assessments, limit requests and approvals, credit policies, credit checks and reservations, holds',
        controllers: [
          RegisterCustomerController,
          SetCreditPolicyController,
          CheckCreditController,
          ReleaseReservationController,
          PlaceHoldController,
          ReleaseHoldController,
          CreditStandingController,
          ScoringModelController,
          ApprovalMatrixController,
          AssessCustomerController,
          RequestCreditLimitController,
          DecideCreditLimitController,
          CreditGroupsController,
          FxRatesController,
          ReviewCustomerController,
          CreditFileController,
        ],
        consumers: [
          ReceivablesConsumer,
          TemporaryLimitsConsumer,
          ReviewScheduleConsumer,
          DayCloseConsumer,
          CollectionsHoldsConsumer,
          RiskHoldsConsumer,
        ],
        providers: [
          OpenArView,
          TemporaryLimitsView,
          ConfigurationInForce,
          FxRatesInForce,
          ConvertedOpenAr,
          GroupAwareCheck,
          ReviewScheduleView,
          CustomerReview,
        ],
        readModels: [
          { name: OPEN_AR_READ_MODEL, tables: [OPEN_AR_TABLE, RECEIVABLES_TABLE], source: 'topics' },
          { name: TEMPORARY_LIMITS_READ_MODEL, tables: [TEMPORARY_LIMITS_TABLE], source: 'topics' },
          {
            name: REVIEW_SCHEDULE_READ_MODEL,
            tables: [REVIEW_SCHEDULE_TABLE, LAST_CLOSED_DAY_TABLE, BROKEN_PROMISES_TABLE],
            source: 'topics',
          },
        ],
      },
      options,
    );
  }
}
