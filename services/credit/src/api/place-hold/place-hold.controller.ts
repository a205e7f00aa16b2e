import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, Idempotent, IdempotencyKey } from '@arc/platform';
import { customerCreditAccountDecider } from '../../domain/customer-credit-account.decider';
import { commandContext } from '../command-context';
import { ROLE_MATRIX } from '../role-matrix';
import { holdOf, type HoldResponse } from '../hold-response';
import { PlaceHoldDto } from './place-hold.dto';

@ApiTags('holds')
@Controller('customers/:customerId/holds')
export class PlaceHoldController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  /** 201 with the hold in force (one at a time: a customer already on hold keeps its first hold). */
  @Post()
  @HttpCode(201)
  @Roles(ROLE_MATRIX.placeHold)
  @Idempotent()
  async place(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: PlaceHoldDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<HoldResponse> {
    const { newState } = await this.commands.execute(customerCreditAccountDecider, {
      ...commandContext(customerId, key),
      actor: actor.id,
      command: { type: 'PlaceHold', data: { source: dto.source, reason: dto.reason } },
    });
    return holdOf(customerId, newState);
  }
}
