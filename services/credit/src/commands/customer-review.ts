import { Inject, Injectable } from '@nestjs/common';
import type { BusinessDate } from '@arc/clock';
import { Commands } from '@arc/platform';
import { ConfigurationInForce } from '../api/configuration-in-force';
import {
  customerCreditAccountDecider,
  customerCreditAccountStreamId,
  type CustomerCreditAccount,
} from '../domain/customer-credit-account.decider';
import { paymentBehaviour, type InvoiceDates, type PaymentBehaviourFigures } from '../domain/review/payment-behaviour';

export interface ReviewRequest {
  assessmentId: string;
  reviewedOn: BusinessDate;
  nextReviewDate: BusinessDate | null;
  commandId: string;
  actor: string;
  causationId?: string;
}

/**
 * A periodic review: the customer's payment behaviour from its invoices' dates (the open-AR view, fed by
 * invoicing and payments events) and the promises collections reported broken, then `ReviewCustomer` with the scoring model in force, which re-rates the
 * latest assessment with that behaviour and may reclassify (`CustomerReclassified`). Used by the review
 * route and by the day close for customers whose review date has come.
 */
@Injectable()
export class CustomerReview {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(ConfigurationInForce) private readonly configuration: ConfigurationInForce,
  ) {}

  async review(
    customerId: string,
    history: { invoices: readonly InvoiceDates[]; brokenPromises: number },
    request: ReviewRequest,
  ): Promise<{ account: CustomerCreditAccount; behaviour: PaymentBehaviourFigures }> {
    const behaviour = paymentBehaviour(history.invoices, request.reviewedOn, history.brokenPromises);
    const model = await this.configuration.scoringModel();
    const { newState } = await this.commands.execute(customerCreditAccountDecider, {
      streamId: customerCreditAccountStreamId(customerId),
      customerId,
      commandId: request.commandId,
      actor: request.actor,
      occurredAt: new Date().toISOString(),
      ...(request.causationId === undefined ? {} : { causationId: request.causationId }),
      command: {
        type: 'ReviewCustomer',
        data: {
          assessmentId: request.assessmentId,
          reviewedOn: request.reviewedOn,
          behaviour: {
            onTimePaymentBasisPoints: behaviour.onTimePaymentBasisPoints,
            averageDaysLate: behaviour.averageDaysLate,
            brokenPromises: behaviour.brokenPromises,
          },
          model,
          nextReviewDate: request.nextReviewDate,
          reviewedBy: request.actor,
        },
      },
    });
    return { account: newState, behaviour };
  }
}
