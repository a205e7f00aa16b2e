import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsString, MaxLength } from 'class-validator';
import type { ApprovalMatrix } from '@arc/contracts';
import { DEFAULT_APPROVAL_MATRIX } from '../../domain/approval/approval-matrix';

export class SetApprovalMatrixDto {
  @ApiProperty({
    description:
      'rules read in order: classes, an upper bound in minor units of the matrix currency (null: any), approvals (1–2), minimum and final level',
    example: DEFAULT_APPROVAL_MATRIX,
  })
  @IsObject()
  matrix!: ApprovalMatrix;
  @ApiProperty({ example: 'level 3 from 500,000' }) @IsString() @IsNotEmpty() @MaxLength(1000) note!: string;
}

export interface ApprovalMatrixResponse {
  version: number;
  matrix: ApprovalMatrix;
}
