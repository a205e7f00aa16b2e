import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, Idempotent, IdempotencyKey } from '@arc/platform';
import { customerCreditAccountDecider } from '../../domain/customer-credit-account.decider';
import { commandContext } from '../command-context';
import { holdOf, type HoldResponse } from '../hold-response';
import { ROLE_MATRIX } from '../role-matrix';
import { ReleaseHoldDto } from './release-hold.dto';

@ApiTags('holds')
@Controller('customers/:customerId/holds/release')
export class ReleaseHoldController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  /** 200; releasing a customer that is not on hold changes nothing. (POST: a DELETE with a reason body is unusual for clients.) */
  @Post()
  @HttpCode(200)
  @Roles(ROLE_MATRIX.releaseHold)
  @Idempotent()
  async release(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: ReleaseHoldDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<HoldResponse> {
    const { newState } = await this.commands.execute(customerCreditAccountDecider, {
      ...commandContext(customerId, key),
      actor: actor.id,
      command: { type: 'ReleaseHold', data: { reason: dto.reason } },
    });
    return holdOf(customerId, newState);
  }
}
