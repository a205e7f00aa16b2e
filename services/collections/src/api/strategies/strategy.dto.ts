import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  DUNNING_ACTIONS,
  DUNNING_CHANNELS,
  DUNNING_TEMPLATES,
  type DunningAction,
  type DunningChannel,
  type DunningTemplate,
} from '../../domain';

export class DunningStepDto {
  @ApiProperty({ example: 'friendly-reminder', description: 'unique within the strategy; names the step in the dunning log' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/)
  stepId!: string;

  @ApiProperty({ example: 1, description: 'days relative to the due date: -5 five days before, 30 thirty days after' })
  @IsInt()
  @Min(-365)
  @Max(3650)
  offsetDays!: number;

  @ApiProperty({ enum: DUNNING_ACTIONS, example: 'friendly-reminder' })
  @IsIn(DUNNING_ACTIONS)
  action!: DunningAction;

  @ApiProperty({ enum: DUNNING_CHANNELS, isArray: true, example: ['email'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsIn(DUNNING_CHANNELS, { each: true })
  channels!: DunningChannel[];

  @ApiProperty({ enum: DUNNING_TEMPLATES, example: 'friendly-reminder' })
  @IsIn(DUNNING_TEMPLATES)
  template!: DunningTemplate;

  @ApiProperty({
    required: false,
    example: true,
    description: 'default true; false: the step runs even when a later step is already due (the credit-hold request)',
  })
  @IsOptional()
  @IsBoolean()
  skippable?: boolean;
}

export class SetStrategyDto {
  @ApiProperty({ example: 'Class C: firm' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;

  @ApiProperty({
    type: [DunningStepDto],
    example: [
      { stepId: 'pre-due-reminder', offsetDays: -5, action: 'pre-due-reminder', channels: ['email'], template: 'pre-due-reminder' },
      { stepId: 'friendly-reminder', offsetDays: 1, action: 'friendly-reminder', channels: ['email'], template: 'friendly-reminder' },
      { stepId: 'call', offsetDays: 15, action: 'call-task', channels: ['phone'], template: 'call-task' },
      { stepId: 'demand-letter', offsetDays: 30, action: 'demand-letter', channels: ['email', 'letter'], template: 'demand-letter' },
      {
        stepId: 'credit-hold',
        offsetDays: 45,
        action: 'credit-hold-request',
        channels: ['credit'],
        template: 'credit-hold-notice',
        skippable: false,
      },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => DunningStepDto)
  steps!: DunningStepDto[];
}
