import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsString, MaxLength } from 'class-validator';
import type { ScoringModel } from '@arc/contracts';
import { DEFAULT_SCORING_MODEL } from '../../domain/scoring/default-scoring-model';

export class PublishScoringModelDto {
  @ApiProperty({
    description: 'factor weights (sum 100 %), scoring bands per input, class cut-offs A–D, recommendations per class',
    example: DEFAULT_SCORING_MODEL,
  })
  @IsObject()
  model!: ScoringModel;
  @ApiProperty({ example: 'stricter B cut-off after the 2026 portfolio review' }) @IsString() @IsNotEmpty() @MaxLength(1000) note!: string;
}

export interface ScoringModelResponse {
  version: number;
  model: ScoringModel;
}
