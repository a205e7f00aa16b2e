import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import { toJson, type MoneyJson } from '@arc/money';
import { Commands } from '@arc/platform';
import {
  customerCreditAccountDecider,
  customerCreditAccountStreamId,
  exposure,
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
}

@ApiTags('customers')
@Controller('customers/:customerId')
export class CreditStandingController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(ConvertedOpenAr) private readonly openArView: ConvertedOpenAr,
  ) {}

  /** The customer's credit standing now; 404 for a customer never registered here. */
  @Get()
  @Roles(ROLE_MATRIX.readCreditStanding)
  async standing(@Param('customerId', ParseUUIDPipe) customerId: string): Promise<CreditStanding> {
    const { state: account } = await this.commands.load(customerCreditAccountDecider, customerCreditAccountStreamId(customerId));
    if (account.status !== 'registered') throw new NotFoundException(`no customer ${customerId} is registered for credit`);
    const openAr = await this.openArView.inCurrency(customerId, account.currency);
    const policy = account.policy;
    const exposed = exposure(account, openAr);
    const bp = utilisationBasisPoints(account, openAr);
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
    };
  }
}
