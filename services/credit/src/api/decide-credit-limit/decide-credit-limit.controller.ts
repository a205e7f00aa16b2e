import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, Idempotent } from '@arc/platform';
import { customerCreditAccountDecider } from '../../domain/customer-credit-account.decider';
import { commandContext } from '../command-context';
import { limitRequestOf } from '../limit-request-response';
import type { LimitRequestResponse } from '../request-credit-limit/request-credit-limit.dto';
import { ROLE_MATRIX } from '../role-matrix';
import { RejectCreditLimitDto } from './decide-credit-limit.dto';

/**
 * The approver is the caller: token subject and approval level. The requester is refused (403), and so is
 * a level below what this approval needs; the last approval changes the policy in the same append.
 */
@ApiTags('limit requests')
@Controller('customers/:customerId/limit-requests/:requestId')
export class DecideCreditLimitController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  @Post('approve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve a limit request at your approval level (never your own request); no body: who and at which level come from the token',
  })
  @Roles(ROLE_MATRIX.decideCreditLimit)
  @Idempotent()
  async approve(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Param('requestId', ParseUUIDPipe) requestId: string,
    @Actor() actor: AuthenticatedActor,
  ): Promise<LimitRequestResponse> {
    const approver = { subject: actor.sub, level: actor.approvalLevel };
    const { newState } = await this.commands.execute(customerCreditAccountDecider, {
      ...commandContext(customerId, `approve:${requestId}:${actor.sub}`),
      actor: actor.id,
      command: { type: 'ApproveCreditLimit', data: { requestId, approver } },
    });
    return limitRequestOf(newState, requestId);
  }

  @Post('reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a limit request, with the reason recorded' })
  @Roles(ROLE_MATRIX.decideCreditLimit)
  @Idempotent()
  async reject(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Param('requestId', ParseUUIDPipe) requestId: string,
    @Body() dto: RejectCreditLimitDto,
    @Actor() actor: AuthenticatedActor,
  ): Promise<LimitRequestResponse> {
    const { newState } = await this.commands.execute(customerCreditAccountDecider, {
      ...commandContext(customerId, `reject:${requestId}:${actor.sub}`),
      actor: actor.id,
      command: {
        type: 'RejectCreditLimit',
        data: { requestId, approver: { subject: actor.sub, level: actor.approvalLevel }, reason: dto.reason },
      },
    });
    return limitRequestOf(newState, requestId);
  }
}
