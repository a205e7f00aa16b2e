import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { IsOptional } from 'class-validator';
import { addDays, type BusinessDate } from '@arc/clock';
import { IsBusinessDate } from '@arc/platform';
import { ReviewScheduleView } from '../../views/review-schedule.view';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import { toJson, type MoneyJson } from '@arc/money';
import { Commands } from '@arc/platform';
import {
  customerCreditAccountDecider,
  customerCreditAccountStreamId,
  exposure,
  insuranceStatus,
  openReservations,
  utilisationBasisPoints,
} from '../../domain/customer-credit-account.decider';
import { ConvertedOpenAr } from '../../commands/converted-open-ar';
import { ROLE_MATRIX } from '../role-matrix';

export interface CreditStanding {
  customerId: string;
  legalName: string;
  currency: string;
  creditClass: string | null;
  limit: MoneyJson | null;
  paymentTermDays: number | null;
  /** From the service's open-AR view (see the README for how far behind it may be). */
  openAr: MoneyJson;
  openReservations: MoneyJson;
  exposure: MoneyJson;
  /** limit − exposure; null without a policy. */
  available: MoneyJson | null;
  utilisationBasisPoints: number | null;
  hold: { source: string; reason: string } | null;
  reservations: Array<{ reservationId: string; orderReference: string; amount: MoneyJson }>;
  /** The check tolerance: how far over the limit a check may still pass (the policy's standing authorisation). */
  tolerance: { basisPoints: number } | { amount: MoneyJson } | null;
  /**
   * Exposure against the credit insurance (the recorded cover, else the policy's insured amount): the part
   * above the insured amount, and whether the cover had expired on `asOf` (an expired cover insures nothing).
   */
  insurance: {
    insurer: string | null;
    insuredAmount: MoneyJson;
    validUntil: string | null;
    uninsuredExposure: MoneyJson;
    coverExceeded: boolean;
    expired: boolean;
    asOf: string;
  } | null;
  nextReviewDate: string | null;
}

export class StandingQueryDto {
  @ApiPropertyOptional({
    example: '2026-04-30',
    description: "the business date the insurance cover's expiry is judged on; default: the open day (the day after the last closed)",
  })
  @IsOptional()
  @IsBusinessDate()
  asOf?: string;
}

@ApiTags('customers')
@Controller('customers/:customerId')
export class CreditStandingController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(ConvertedOpenAr) private readonly openArView: ConvertedOpenAr,
    @Inject(ReviewScheduleView) private readonly schedule: ReviewScheduleView,
  ) {}

  /** The customer's credit standing now; 404 for a customer never registered here. */
  @Get()
  @Roles(ROLE_MATRIX.readCreditStanding)
  async standing(@Param('customerId', ParseUUIDPipe) customerId: string, @Query() query: StandingQueryDto): Promise<CreditStanding> {
    const { state: account } = await this.commands.load(customerCreditAccountDecider, customerCreditAccountStreamId(customerId));
    if (account.status !== 'registered') throw new NotFoundException(`no customer ${customerId} is registered for credit`);
    const openAr = await this.openArView.inCurrency(customerId, account.currency);
    const policy = account.policy;
    const exposed = exposure(account, openAr);
    const bp = utilisationBasisPoints(account, openAr);
    const lastClosed = query.asOf === undefined ? await this.schedule.lastClosedDay() : null;
    const asOf = query.asOf ?? (lastClosed === null ? new Date().toISOString().slice(0, 10) : addDays(lastClosed as BusinessDate, 1));
    const insured = insuranceStatus(account, exposed, asOf);
    const tolerance = account.tolerance;
    return {
      customerId,
      legalName: account.customer.legalName,
      currency: account.currency,
      creditClass: policy?.creditClass ?? null,
      limit: policy === null ? null : toJson(policy.creditLimit),
      paymentTermDays: policy?.paymentTermDays ?? null,
      openAr: toJson(openAr),
      openReservations: toJson(openReservations(account, account.currency)),
      exposure: toJson(exposed),
      available:
        policy === null
          ? null
          : { amountMinor: (policy.creditLimit.amountMinor - exposed.amountMinor).toString(), currency: account.currency },
      utilisationBasisPoints: bp === null ? null : Number(bp),
      hold: account.hold === null ? null : { source: account.hold.source, reason: account.hold.reason },
      reservations: [...account.reservations.entries()]
        .filter(([, reservation]) => reservation.status === 'open')
        .map(([reservationId, reservation]) => ({
          reservationId,
          orderReference: reservation.orderReference,
          amount: toJson(reservation.amount),
        })),
      tolerance:
        tolerance === null
          ? null
          : tolerance.kind === 'basis-points'
            ? { basisPoints: tolerance.basisPoints }
            : { amount: toJson(tolerance.amount) },
      insurance:
        insured === null
          ? null
          : {
              insurer: insured.insurer,
              insuredAmount: toJson(insured.insuredAmount),
              validUntil: account.insurance?.validUntil ?? null,
              uninsuredExposure: toJson(insured.uninsuredExposure),
              coverExceeded: insured.coverExceeded,
              expired: insured.expired,
              asOf,
            },
      nextReviewDate: policy?.nextReviewDate ?? null,
    };
  }
}
