import { Body, Controller, Inject, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { toJson } from '@arc/money';
import { Commands, IdempotencyKey, Idempotent, toBusinessDate, toMoney } from '@arc/platform';
import { customerCreditAccountDecider } from '../../domain/customer-credit-account.decider';
import { commandContext } from '../command-context';
import { ROLE_MATRIX } from '../role-matrix';
import { SetCreditPolicyDto } from './set-credit-policy.dto';

@ApiTags('customers')
@Controller('customers/:customerId/credit-policy')
export class SetCreditPolicyController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  /** 200 with the policy now in force; setting the same policy again records nothing. */
  @Put()
  @Roles(ROLE_MATRIX.setCreditPolicy)
  @Idempotent()
  async set(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: SetCreditPolicyDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<object> {
    const { newState } = await this.commands.execute(customerCreditAccountDecider, {
      ...commandContext(customerId, key),
      actor: actor.id,
      command: {
        type: 'SetCreditPolicy',
        data: {
          creditClass: dto.creditClass,
          creditLimit: toMoney(dto.creditLimit, 'creditLimit'),
          paymentTermDays: dto.paymentTermDays,
          acceptedPaymentMethods: dto.acceptedPaymentMethods,
          earlyPaymentDiscount: dto.earlyPaymentDiscount
            ? { basisPoints: dto.earlyPaymentDiscount.basisPoints, withinDays: dto.earlyPaymentDiscount.withinDays }
            : null,
          prepaymentBasisPoints: dto.prepaymentBasisPoints ?? 0,
          insuredAmount: dto.insuredAmount ? toMoney(dto.insuredAmount, 'insuredAmount') : null,
          nextReviewDate: toBusinessDate(dto.nextReviewDate),
        },
      },
    });
    const policy = newState.status === 'registered' ? newState.policy : null;
    if (policy === null) return { customerId };
    return {
      customerId,
      creditClass: policy.creditClass,
      creditLimit: toJson(policy.creditLimit),
      paymentTermDays: policy.paymentTermDays,
      acceptedPaymentMethods: policy.acceptedPaymentMethods,
      earlyPaymentDiscount: policy.earlyPaymentDiscount,
      prepaymentBasisPoints: policy.prepaymentBasisPoints,
      insuredAmount: policy.insuredAmount === null ? null : toJson(policy.insuredAmount),
      nextReviewDate: policy.nextReviewDate,
    };
  }
}
