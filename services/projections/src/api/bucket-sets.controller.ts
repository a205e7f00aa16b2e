import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Pool } from 'pg';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { ARC_PG_POOL, ConflictProblem, UnprocessableProblem } from '@arc/platform';
import { InvalidBucketSetError, validateBucketSet, type AgingBucketSet } from '../domain';
import { insertBucketSet, loadBucketSets, setBucketSetActive, type StoredBucketSet } from '../views/history.store';
import { ROLE_MATRIX } from './role-matrix';

export class BucketDto {
  @ApiProperty({ example: '1-30' }) @IsString() @MaxLength(40) label!: string;

  @ApiPropertyOptional({ example: 30, description: 'inclusive upper bound in days; omit both bounds on the last, open-ended bucket' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36500)
  upToDays?: number;

  @ApiPropertyOptional({ example: 3, description: 'inclusive upper bound in calendar months (not mixed with days in one set)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1200)
  upToMonths?: number;
}

export class DefineBucketSetDto {
  @ApiProperty({ example: 'nine-to-720', description: 'lower-case letters, digits and dashes; a set is never redefined' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'id must be lower-case letters, digits and dashes' })
  id!: string;

  @ApiPropertyOptional({ example: 'due-date', enum: ['due-date', 'invoice-date'], description: 'what overdue items are aged from' })
  @IsOptional()
  @IsIn(['due-date', 'invoice-date'])
  basis?: 'due-date' | 'invoice-date';

  @ApiProperty({
    type: [BucketDto],
    example: [
      { label: '1-30', upToDays: 30 },
      { label: '31-60', upToDays: 60 },
      { label: '61-90', upToDays: 90 },
      { label: '91-120', upToDays: 120 },
      { label: '121-180', upToDays: 180 },
      { label: '181-270', upToDays: 270 },
      { label: '271-360', upToDays: 360 },
      { label: '361-720', upToDays: 720 },
      { label: '720+' },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(24)
  @ValidateNested({ each: true })
  @Type(() => BucketDto)
  buckets!: BucketDto[];
}

export interface BucketSetView {
  id: string;
  basis: 'due-date' | 'invoice-date';
  buckets: AgingBucketSet['buckets'];
  active: boolean;
  createdBy: string;
  createdAt: string;
}

const view = (s: StoredBucketSet): BucketSetView => ({
  id: s.id,
  basis: s.basis,
  buckets: s.buckets,
  active: s.active,
  createdBy: s.createdBy,
  createdAt: s.createdAt,
});

/**
 * Aging bucket sets as configuration: any number of buckets, by due date or invoice date, several active at once
 * (the aging API and reporting.customer_aging_by_set show each). A set is never redefined (figures published under
 * its id keep their meaning): define a new one and deactivate the old.
 */
@ApiTags('aging bucket sets')
@Controller('aging/bucket-sets')
export class BucketSetsController {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  /** Every configured set, active or not, oldest first. */
  @Get()
  @Roles(ROLE_MATRIX.readBucketSets)
  async list(): Promise<{ bucketSets: BucketSetView[] }> {
    return { bucketSets: (await loadBucketSets(this.pool, { activeOnly: false })).map(view) };
  }

  /** Defines an active set: 201; 409 when the id is taken; 422 for buckets that overlap, leave a gap or mix units. */
  @Post()
  @HttpCode(201)
  @Roles(ROLE_MATRIX.configureBucketSets)
  async define(@Body() dto: DefineBucketSetDto, @Actor() actor: AuthenticatedActor): Promise<BucketSetView> {
    const set: AgingBucketSet = {
      id: dto.id,
      basis: dto.basis ?? 'due-date',
      buckets: dto.buckets.map((b) => {
        if (b.upToDays !== undefined && b.upToMonths !== undefined) {
          throw new UnprocessableProblem(`bucket ${b.label} has a bound in days and one in months`, {
            type: 'urn:arc:problem:invalid-bucket-set',
          });
        }
        const upTo = b.upToDays !== undefined ? { days: b.upToDays } : b.upToMonths !== undefined ? { months: b.upToMonths } : null;
        return { label: b.label, upTo };
      }),
    };
    try {
      validateBucketSet(set);
    } catch (error) {
      if (error instanceof InvalidBucketSetError)
        throw new UnprocessableProblem(error.message, { type: 'urn:arc:problem:invalid-bucket-set' });
      throw error;
    }
    if (!(await insertBucketSet(this.pool, set, actor.id))) throw new ConflictProblem(`aging bucket set ${set.id} is already defined`);
    const stored = (await loadBucketSets(this.pool, { activeOnly: false })).find((s) => s.id === set.id);
    if (stored === undefined) throw new NotFoundException(`aging bucket set ${set.id} vanished`);
    return view(stored);
  }

  /** Stops showing a set (its definition is kept). 404 for an unknown set. */
  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.configureBucketSets)
  async deactivate(@Param('id') id: string): Promise<{ id: string; active: false }> {
    if (!(await setBucketSetActive(this.pool, id, false))) throw new NotFoundException(`no aging bucket set ${id} is configured`);
    return { id, active: false };
  }
}
