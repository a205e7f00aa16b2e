import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { assessmentInputsShape, type AssessmentInputs } from '@arc/contracts';
import { Commands, Idempotent, toBusinessDate } from '@arc/platform';
import { customerCreditAccountDecider } from '../../domain/customer-credit-account.decider';
import { commandContext } from '../command-context';
import { ConfigurationInForce } from '../configuration-in-force';
import { ROLE_MATRIX } from '../role-matrix';
import { assertShape } from '../shape-check';
import { AssessCustomerDto, type AssessmentResponse } from './assess-customer.dto';

@ApiTags('assessments')
@Controller('customers/:customerId/assessments')
export class AssessCustomerController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(ConfigurationInForce) private readonly configuration: ConfigurationInForce,
  ) {}

  /** Scores the figures with the model in force and records the result with the model's version. */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Assess a customer with the 5C scorecard: score, class, recommended limit and terms, and why' })
  @Roles(ROLE_MATRIX.assessCustomer)
  @Idempotent()
  async assess(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: AssessCustomerDto,
    @Actor() actor: AuthenticatedActor,
  ): Promise<AssessmentResponse> {
    const inputs = assertShape<AssessmentInputs>(assessmentInputsShape, dto.inputs, 'inputs');
    const model = await this.configuration.scoringModel();
    const { newState } = await this.commands.execute(customerCreditAccountDecider, {
      ...commandContext(customerId, `assessment:${dto.assessmentId}`),
      actor: actor.id,
      command: {
        type: 'AssessCustomer',
        data: { assessmentId: dto.assessmentId, assessedOn: toBusinessDate(dto.assessedOn), inputs, model, assessedBy: actor.id },
      },
    });
    const assessment = newState.status === 'registered' ? newState.assessments.find((a) => a.assessmentId === dto.assessmentId) : undefined;
    if (assessment === undefined) throw new Error(`assessment ${dto.assessmentId} was not recorded`);
    const { modelVersion, score, creditClass, factors, recommendedLimit, recommendedPaymentTermDays, recommendedPrepaymentBasisPoints } =
      assessment;
    return {
      assessmentId: dto.assessmentId,
      modelVersion,
      score,
      creditClass,
      factors,
      recommendedLimit,
      recommendedPaymentTermDays,
      recommendedPrepaymentBasisPoints,
    };
  }
}
