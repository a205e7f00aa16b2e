import { Body, Controller, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, Idempotent, IdempotencyKey } from '@arc/platform';
import { customerCreditAccountDecider } from '../../domain/customer-credit-account.decider';
import { commandContext } from '../command-context';
import { ROLE_MATRIX } from '../role-matrix';
import { RegisterCustomerDto } from './register-customer.dto';

@ApiTags('customers')
@Controller('customers')
export class RegisterCustomerController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  /** 201 `{ customerId }`; registering the same customer again with the same details changes nothing. */
  @Post()
  @Roles(ROLE_MATRIX.registerCustomer)
  @Idempotent()
  async register(
    @Body() dto: RegisterCustomerDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<{ customerId: string }> {
    await this.commands.execute(customerCreditAccountDecider, {
      ...commandContext(dto.customerId, key),
      actor: actor.id,
      command: { type: 'RegisterCustomer', data: { ...dto } },
    });
    return { customerId: dto.customerId };
  }
}
