import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, Idempotent, toBusinessDate, toMoney } from '@arc/platform';
import { customerCreditAccountDecider } from '../../domain/customer-credit-account.decider';
import { convert } from '../../domain/fx/fx';
import { commandContext } from '../command-context';
import { ConfigurationInForce } from '../configuration-in-force';
import { FxRatesInForce } from '../fx-rates-in-force';
import { limitRequestOf } from '../limit-request-response';
import { ROLE_MATRIX } from '../role-matrix';
import { RequestCreditLimitDto, type LimitRequestResponse } from './request-credit-limit.dto';

@ApiTags('limit requests')
@Controller('customers/:customerId/limit-requests')
export class RequestCreditLimitController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(ConfigurationInForce) private readonly configuration: ConfigurationInForce,
    @Inject(FxRatesInForce) private readonly fx: FxRatesInForce,
  ) {}

  /** 201 with the approvals the matrix in force requires (recorded on the request; a later matrix does not change it). */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Request a (possibly temporary) credit limit; someone else approves it at the level the matrix requires' })
  @Roles(ROLE_MATRIX.requestCreditLimit)
  @Idempotent()
  async request(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: RequestCreditLimitDto,
    @Actor() actor: AuthenticatedActor,
  ): Promise<LimitRequestResponse> {
    const requestedLimit = toMoney(dto.requestedLimit, 'requestedLimit');
    const requestedOn = toBusinessDate(dto.requestedOn);
    const matrix = await this.configuration.approvalMatrix();
    const lookup = await this.fx.lookupFor([[requestedLimit.currency, matrix.matrix.currency]]);
    const { newState } = await this.commands.execute(customerCreditAccountDecider, {
      ...commandContext(customerId, `limit-request:${dto.requestId}`),
      actor: actor.id,
      command: {
        type: 'RequestCreditLimit',
        data: {
          requestId: dto.requestId,
          requestedLimit,
          reason: dto.reason,
          temporaryUntil: dto.temporaryUntil === undefined ? null : toBusinessDate(dto.temporaryUntil),
          evidenceIds: dto.evidenceIds ?? [],
          requestedBy: actor.sub,
          requestedOn,
          matrix,
          // The matrix's thresholds are in its currency: a request in another converts at the request date's rate (422 when none).
          amountInMatrixCurrency: convert(requestedLimit, matrix.matrix.currency, requestedOn, lookup),
        },
      },
    });
    return limitRequestOf(newState, dto.requestId);
  }
}
