import { Body, Controller, ForbiddenException, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor, type Role } from '@arc/auth';
import { toJson } from '@arc/money';
import { Idempotent, RequiresReadModel, toBusinessDate, toMoney } from '@arc/platform';
import { checkOutcome, checkpointOf, exposure, utilisationBasisPoints } from '../../domain/customer-credit-account.decider';
import { OPEN_AR_READ_MODEL } from '../../views/open-ar.view';
import { ROLE_MATRIX } from '../role-matrix';
import { CheckCreditDto, type CreditCheckResponse } from './check-credit.dto';
import { GroupAwareCheck } from '../../commands/group-aware-check';

@ApiTags('credit checks')
@Controller('customers/:customerId/credit-checks')
export class CheckCreditController {
  constructor(@Inject(GroupAwareCheck) private readonly groupAwareCheck: GroupAwareCheck) {}

  /**
   * Always 201 when the check was decided: the check is recorded either way (`CreditCheckPassed`, which
   * reserves the amount, or `CreditCheckFailed`); `passed` says which, and `checkId` names the check in
   * both outcomes (the reservation id, or the failure's `checkId`). Refusals to decide are 409/422.
   */
  @Post()
  @HttpCode(201)
  @Roles(ROLE_MATRIX.requestCreditCheck)
  @RequiresReadModel(OPEN_AR_READ_MODEL)
  @Idempotent()
  async check(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: CheckCreditDto,
    @Actor() actor: AuthenticatedActor,
  ): Promise<CreditCheckResponse> {
    const mayOverride = (roles: readonly Role[]) =>
      roles.some((role) => role === 'admin' || (ROLE_MATRIX.overrideCreditCheck as readonly Role[]).includes(role));
    if (dto.override && !mayOverride(actor.roles)) {
      throw new ForbiddenException(`a credit override needs the role ${ROLE_MATRIX.overrideCreditCheck.join(' or ')}`);
    }
    const orderAmount = toMoney(dto.orderAmount, 'orderAmount');
    const { account, openAr } = await this.groupAwareCheck.run(
      customerId,
      {
        checkId: dto.checkId,
        orderReference: dto.orderReference,
        orderAmount,
        checkpoint: dto.checkpoint ?? 'order',
        // The open day: openDay, or the deprecated businessDate when openDay is absent (validated, one is there).
        businessDate: toBusinessDate(dto.openDay ?? dto.businessDate ?? ''),
        // Who authorised it and at which level come from the token, never from the body.
        override: dto.override ? { reason: dto.override.reason, authorisedBy: actor.id, approverLevel: actor.approvalLevel } : null,
      },
      actor.id,
    );
    const policy = account.status === 'registered' ? account.policy : null;
    // Read from the account, where the check is recorded under its id in either outcome, so a repeat
    // answers the same decision as the first time.
    const outcome = checkOutcome(account, dto.checkId);
    const bp = utilisationBasisPoints(account, openAr);
    return {
      checkId: dto.checkId,
      passed: outcome?.passed === true,
      checkpoint: checkpointOf(account, dto.checkId) ?? dto.checkpoint ?? 'order',
      ...(outcome === null || outcome.passed ? {} : { reason: outcome.reason }),
      exposure: toJson(exposure(account, openAr)),
      limit: policy === null ? null : toJson(policy.creditLimit),
      utilisationBasisPoints: bp === null ? null : Number(bp),
    };
  }
}
