import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { approvalMatrixShape, type ApprovalMatrix } from '@arc/contracts';
import { Commands, Idempotent, IdempotencyKey } from '@arc/platform';
import { APPROVAL_MATRIX_STREAM, approvalMatrixDecider } from '../../domain/approval/approval-matrix.decider';
import { ConfigurationInForce } from '../configuration-in-force';
import { ROLE_MATRIX } from '../role-matrix';
import { assertShape } from '../shape-check';
import { SetApprovalMatrixDto, type ApprovalMatrixResponse } from './approval-matrix.dto';

@ApiTags('limit requests')
@Controller('approval-matrix')
export class ApprovalMatrixController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(ConfigurationInForce) private readonly configuration: ConfigurationInForce,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The approval matrix in force and its version' })
  @Roles(ROLE_MATRIX.readCreditConfiguration)
  current(): Promise<ApprovalMatrixResponse> {
    return this.configuration.approvalMatrix();
  }

  /** Pending requests keep the requirement recorded when they were made. */
  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a new version of the approval matrix' })
  @Roles(ROLE_MATRIX.manageApprovalMatrix)
  @Idempotent()
  async set(
    @Body() dto: SetApprovalMatrixDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<ApprovalMatrixResponse> {
    const matrix = assertShape<ApprovalMatrix>(approvalMatrixShape, dto.matrix, 'matrix');
    await this.configuration.approvalMatrix();
    const { newState } = await this.commands.execute(approvalMatrixDecider, {
      streamId: APPROVAL_MATRIX_STREAM,
      customerId: APPROVAL_MATRIX_STREAM,
      commandId: key ?? randomUUID(),
      actor: actor.id,
      occurredAt: new Date().toISOString(),
      command: { type: 'SetApprovalMatrix', data: { matrix, note: dto.note } },
    });
    return { version: newState.version, matrix: newState.matrix! };
  }
}
