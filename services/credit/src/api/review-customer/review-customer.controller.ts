import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Idempotent, RequiresReadModel, toBusinessDate } from '@arc/platform';
import { OPEN_AR_READ_MODEL } from '../../views/open-ar.view';
import { CustomerReview } from '../../commands/customer-review';
import { REVIEW_SCHEDULE_READ_MODEL, ReviewScheduleView } from '../../views/review-schedule.view';
import { ROLE_MATRIX } from '../role-matrix';
import { ReviewCustomerDto, ReviewsDueQueryDto, type ReviewResponse } from './review-customer.dto';

const REVIEW_EXAMPLE = {
  reviewId: '9a0c1f5e-27a3-4b8e-9d3c-2f7b8e6a1d40',
  customerId: '3f1e2d4c-5b6a-4789-8abc-def012345678',
  behaviour: { invoicesCounted: 2, onTimePaymentBasisPoints: 0, averageDaysLate: 47, averageDaysToPay: 74, brokenPromises: 1 },
  modelVersion: 1,
  score: 59,
  previousClass: 'B',
  creditClass: 'C',
  reclassified: 'downgrade',
  nextReviewDate: '2026-09-30',
  factors: [],
};

@ApiTags('reviews')
@Controller()
export class ReviewCustomerController {
  constructor(
    @Inject(CustomerReview) private readonly reviews: CustomerReview,
    @Inject(ReviewScheduleView) private readonly schedule: ReviewScheduleView,
  ) {}

  /** Re-rates the latest assessment with how the customer paid; 409 ASSESSMENT_MISSING for a customer never assessed. */
  @Post('customers/:customerId/reviews')
  @HttpCode(201)
  @ApiOperation({ summary: 'Review a customer: re-run its assessment with its payment behaviour; a class change is announced' })
  @ApiCreatedResponse({ schema: { example: REVIEW_EXAMPLE } })
  @Roles(ROLE_MATRIX.reviewCustomer)
  // Behaviour comes from the open-AR view and broken promises from the schedule: never from part of their history.
  @RequiresReadModel(OPEN_AR_READ_MODEL, REVIEW_SCHEDULE_READ_MODEL)
  @Idempotent()
  async review(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: ReviewCustomerDto,
    @Actor() actor: AuthenticatedActor,
  ): Promise<ReviewResponse> {
    const reviewedOn = toBusinessDate(dto.reviewedOn);
    const history = {
      invoices: await this.schedule.invoiceDates(customerId),
      brokenPromises: await this.schedule.brokenPromises(customerId, reviewedOn),
    };
    const { account, behaviour } = await this.reviews.review(customerId, history, {
      assessmentId: dto.reviewId,
      reviewedOn,
      nextReviewDate: dto.nextReviewDate === undefined ? null : toBusinessDate(dto.nextReviewDate),
      commandId: `review:${dto.reviewId}`,
      actor: actor.id,
    });
    if (account.status !== 'registered' || account.policy === null) throw new Error(`review ${dto.reviewId} left no policy`);
    const index = account.assessments.findIndex((a) => a.assessmentId === dto.reviewId);
    const recorded = account.assessments[index];
    if (recorded === undefined) throw new Error(`review ${dto.reviewId} was not recorded`);
    // The class before the review: the reclassification it recorded, else it kept the class (a repeat answers the same).
    const previousClass = account.reclassifications.get(dto.reviewId)?.fromClass ?? recorded.creditClass;
    return {
      reviewId: dto.reviewId,
      customerId,
      behaviour,
      modelVersion: recorded.modelVersion,
      score: recorded.score,
      previousClass,
      creditClass: recorded.creditClass,
      reclassified: previousClass === recorded.creditClass ? null : previousClass < recorded.creditClass ? 'downgrade' : 'upgrade',
      nextReviewDate: account.policy.nextReviewDate,
      factors: recorded.factors,
    };
  }

  @Get('reviews-due')
  @ApiOperation({ summary: 'Customers whose review date is on or before a business date' })
  @ApiOkResponse({ schema: { example: [{ customerId: '3f1e2d4c-5b6a-4789-8abc-def012345678', nextReviewDate: '2026-03-31' }] } })
  @Roles(ROLE_MATRIX.readCreditStanding)
  async due(@Query() query: ReviewsDueQueryDto): Promise<Array<{ customerId: string; nextReviewDate: string }>> {
    return this.schedule.due(query.asOf);
  }
}
