import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { CREDIT_CLASSES, type CreditClass } from '@arc/contracts';
import { Commands, Idempotent, IdempotencyKey } from '@arc/platform';
import { strategyConfigDecider, strategyStreamId, type DunningStrategy, type StrategyScope } from '../../domain';
import { commandContext } from '../command-context';
import { ROLE_MATRIX } from '../role-matrix';
import { SetStrategyDto } from './strategy.dto';

export class CreditClassParams {
  @ApiProperty({ enum: CREDIT_CLASSES, example: 'C' }) @IsIn(CREDIT_CLASSES) creditClass!: CreditClass;
}

export interface StrategyResponse {
  scope: StrategyScope;
  strategy: DunningStrategy;
}

/**
 * Dunning strategies as configuration: one per credit class, and a customer's own that overrides its
 * class's. Each change is an event on `dunning-strategy-<scope>`; the next run uses the strategy in force.
 */
@ApiTags('dunning strategies')
@Controller('strategies')
export class StrategiesController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  /** Sets the strategy of a credit class (200 with it; the same strategy again records nothing). */
  @Put('classes/:creditClass')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.manageStrategies)
  @Idempotent()
  async setForClass(
    @Param() { creditClass }: CreditClassParams,
    @Body() dto: SetStrategyDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<StrategyResponse> {
    return this.set({ kind: 'class', creditClass }, dto, actor, key);
  }

  /** The strategy of a credit class; 404 when none is configured (its customers are then not dunned). */
  @Get('classes/:creditClass')
  @Roles(ROLE_MATRIX.readStrategies)
  async ofClass(@Param() { creditClass }: CreditClassParams): Promise<StrategyResponse> {
    return this.get({ kind: 'class', creditClass });
  }

  /** Sets the customer's own strategy, overriding its class's. */
  @Put('customers/:customerId')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.manageStrategies)
  @Idempotent()
  async setForCustomer(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: SetStrategyDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<StrategyResponse> {
    return this.set({ kind: 'customer', customerId }, dto, actor, key);
  }

  /** The customer's own strategy; 404 when it follows its class's. */
  @Get('customers/:customerId')
  @Roles(ROLE_MATRIX.readStrategies)
  async ofCustomer(@Param('customerId', ParseUUIDPipe) customerId: string): Promise<StrategyResponse> {
    return this.get({ kind: 'customer', customerId });
  }

  /** Removes the customer's own strategy: its class's applies again (204; nothing recorded if it had none). */
  @Delete('customers/:customerId')
  @HttpCode(204)
  @Roles(ROLE_MATRIX.manageStrategies)
  @Idempotent()
  async clearForCustomer(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<void> {
    const scope: StrategyScope = { kind: 'customer', customerId };
    await this.commands.execute(strategyConfigDecider, {
      ...commandContext(key),
      streamId: strategyStreamId(scope),
      customerId,
      actor: actor.id,
      command: { type: 'ClearDunningStrategy', data: { scope } },
    });
  }

  private async set(
    scope: StrategyScope,
    dto: SetStrategyDto,
    actor: AuthenticatedActor,
    key: string | undefined,
  ): Promise<StrategyResponse> {
    const strategyId = scope.kind === 'class' ? `class-${scope.creditClass}` : `customer-${scope.customerId}`;
    const strategy: DunningStrategy = {
      strategyId,
      name: dto.name,
      steps: dto.steps.map((s) => ({ ...s, skippable: s.skippable ?? true })),
    };
    const { newState } = await this.commands.execute(strategyConfigDecider, {
      ...commandContext(key),
      streamId: strategyStreamId(scope),
      // Class strategies concern no customer: the nil UUID keys them on the topic (they are never published).
      customerId: scope.kind === 'customer' ? scope.customerId : '00000000-0000-0000-0000-000000000000',
      actor: actor.id,
      command: { type: 'SetDunningStrategy', data: { scope, strategy } },
    });
    return { scope, strategy: newState.strategy as DunningStrategy };
  }

  private async get(scope: StrategyScope): Promise<StrategyResponse> {
    const { state } = await this.commands.load(strategyConfigDecider, strategyStreamId(scope));
    if (state.strategy === null) throw new NotFoundException(`no dunning strategy is configured for ${strategyStreamId(scope).slice(17)}`);
    return { scope, strategy: state.strategy };
  }
}
