import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Roles } from '@arc/auth';
import type { CustomerAgingChangedData } from '@arc/contracts';
import { exactNumberOrNull, ratioBasisPoints } from '@arc/money';
import { agingChangedData, customerAging, DEFAULT_BUCKET_SET, type AgingBucketSet } from '../domain';
import { loadBucketSets } from '../views/history.store';
import { AsOfQuery, asOfOf } from './as-of.query';
import { ReadModelQueries } from './read-model.queries';
import { ROLE_MATRIX } from './role-matrix';

export class AgingQuery extends AsOfQuery {
  @ApiPropertyOptional({
    example: 'days-30-60-90',
    description: "a configured bucket set's id (GET /v1/aging/bucket-sets), or `all` for every active set; default `days-30-60-90`",
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'bucketSet must be a bucket set id (lower-case letters, digits, dashes) or all' })
  bucketSet?: string;
}

export type AgingFigures = CustomerAgingChangedData & {
  /** overdue / total open in basis points, half-up; null when nothing is open. */
  overdueRatioBasisPoints: number | null;
};

export interface AgingResponse {
  customerId: string;
  asOf: string;
  /** One entry per bucket set asked for and currency the customer had been invoiced in by asOf. */
  aging: AgingFigures[];
}

@ApiTags('read models')
@Controller('customers/:customerId/aging')
export class AgingController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  /**
   * Aging of the customer's open items as of a date (default: the last closed day) in one or every active bucket
   * set. A past closed day answers what that day showed (true as-of). 404 for an unknown customer or bucket set.
   */
  @Get()
  @Roles(ROLE_MATRIX.readAging)
  async aging(@Param('customerId', ParseUUIDPipe) customerId: string, @Query() query: AgingQuery): Promise<AgingResponse> {
    const asOf = asOfOf(query);
    const sets = await this.bucketSets(query.bucketSet);
    const found = await this.queries.customer(customerId, asOf);
    if (found === null) throw new NotFoundException(`no ledger or exposure is known for customer ${customerId}`);
    const aging = sets.flatMap((set) =>
      customerAging(customerId, found.rows, found.asOf, set).map((a): AgingFigures => {
        const ratio = ratioBasisPoints(a.overdue, a.totalOpen);
        return { ...agingChangedData(a), overdueRatioBasisPoints: exactNumberOrNull(ratio) };
      }),
    );
    return { customerId, asOf: found.asOf, aging };
  }

  private async bucketSets(id: string | undefined): Promise<AgingBucketSet[]> {
    if (id === undefined || id === DEFAULT_BUCKET_SET.id) return [DEFAULT_BUCKET_SET];
    const configured = await this.queries.snapshot((client) => loadBucketSets(client, { activeOnly: id === 'all' }));
    const sets = id === 'all' ? configured : configured.filter((s) => s.id === id);
    if (sets.length === 0) throw new NotFoundException(`no aging bucket set ${id} is configured`);
    return sets;
  }
}
