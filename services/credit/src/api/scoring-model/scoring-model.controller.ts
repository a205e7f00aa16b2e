import { Body, Controller, Get, HttpCode, Inject, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { scoringModelShape, type ScoringModel } from '@arc/contracts';
import { Commands, Idempotent, IdempotencyKey } from '@arc/platform';
import { randomUUID } from 'node:crypto';
import { SCORING_MODEL_STREAM, currentModel, scoringModelDecider } from '../../domain/scoring/scoring-model.decider';
import { ConfigurationInForce } from '../configuration-in-force';
import { ROLE_MATRIX } from '../role-matrix';
import { assertShape } from '../shape-check';
import { PublishScoringModelDto, type ScoringModelResponse } from './scoring-model.dto';

@ApiTags('scoring model')
@Controller('scoring-model')
export class ScoringModelController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(ConfigurationInForce) private readonly configuration: ConfigurationInForce,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The 5C scoring model in force and its version' })
  @Roles(ROLE_MATRIX.readCreditConfiguration)
  async current(): Promise<ScoringModelResponse> {
    return this.configuration.scoringModel();
  }

  /** A changed model becomes the next version and applies to new assessments only; the same model again changes nothing. */
  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a new version of the scoring model' })
  @Roles(ROLE_MATRIX.manageScoringModel)
  @Idempotent()
  async publish(
    @Body() dto: PublishScoringModelDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<ScoringModelResponse> {
    const model = assertShape<ScoringModel>(scoringModelShape, dto.model, 'model');
    await this.configuration.scoringModels(); // the default is version 1 of a fresh installation
    const { newState } = await this.commands.execute(scoringModelDecider, {
      streamId: SCORING_MODEL_STREAM,
      customerId: SCORING_MODEL_STREAM,
      commandId: key ?? randomUUID(),
      actor: actor.id,
      occurredAt: new Date().toISOString(),
      command: { type: 'PublishScoringModel', data: { model, note: dto.note } },
    });
    return currentModel(newState)!;
  }
}
