import { BadRequestException, Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import type { Pool } from 'pg';
import { Roles } from '@arc/auth';
import { CREDIT_CLASSES } from '@arc/contracts';
import { ARC_PG_POOL } from '@arc/platform';
import { NOT_YET_DUE } from '../domain';
import { loadBusinessDate } from '../views/read-model.store';
import {
  PORTFOLIO_FILTERS,
  PORTFOLIO_RESOURCES,
  portfolioPage,
  toCsv,
  type PortfolioFilter,
  type PortfolioResourceName,
} from '../views/portfolio.queries';
import { ROLE_MATRIX } from './role-matrix';

/** What the handler needs of the HTTP response (Express's, under Nest's passthrough). */
interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

const BUCKETS = [NOT_YET_DUE, '1-30', '31-60', '61-90', '90+'] as const;
const STATUSES = ['open', 'partially-paid', 'paid', 'closed', 'on-hold', 'active'] as const;

export class PortfolioQuery {
  @ApiPropertyOptional({ example: 'EMEA' }) @IsOptional() @Matches(/^.{1,100}$/) businessUnit?: string;
  @ApiPropertyOptional({ example: 'B', enum: CREDIT_CLASSES }) @IsOptional() @IsIn(CREDIT_CLASSES) creditClass?: string;
  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional({
    example: '31-60',
    enum: BUCKETS,
    description: 'ledger: the bucket of the invoice; exposures and aging: customers with an amount in it',
  })
  @IsOptional()
  @IsIn(BUCKETS)
  bucket?: string;

  @ApiPropertyOptional({
    example: 'open',
    enum: STATUSES,
    description: 'ledger: open, partially-paid, paid; exposures: on-hold, active; cases: open, closed',
  })
  @IsOptional()
  @IsIn(STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'c0ffee00-0000-4000-8000-000000000001' }) @IsOptional() @IsUUID() customerId?: string;

  @ApiPropertyOptional({
    example: '-openBalanceMinor',
    description: "a column of the resource (see the resource's sort keys), `-` first for descending",
  })
  @IsOptional()
  @Matches(/^-?[A-Za-z0-9]{1,40}$/)
  sort?: string;

  @ApiPropertyOptional({ example: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) page?: number;
  @ApiPropertyOptional({ example: 100, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10_000) pageSize?: number;

  @ApiPropertyOptional({
    example: 'json',
    enum: ['json', 'csv'],
    description: 'csv: the page as text/csv (a header line, then one line per row)',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export interface PortfolioResponse {
  resource: string;
  /** The last closed day the figures are as of. */
  asOf: string;
  page: number;
  pageSize: number;
  total: number;
  sort: string;
  rows: Record<string, unknown>[];
}

/**
 * Portfolio reads across all customers (issue 14, item 6): the AR ledger, exposures, aging and collection cases with
 * paging, filters (business unit, credit class, currency, bucket, status, customer), sorting and CSV export. The
 * same figures BI reads in `reporting` (docs/reporting.md), as of the last closed day.
 */
@ApiTags('portfolio')
@Controller('portfolio')
export class PortfolioController {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  /** One page of a resource; 400 for a filter or sort key the resource does not have. */
  @Get(':resource')
  @Roles(ROLE_MATRIX.readPortfolio)
  @ApiParam({ name: 'resource', enum: Object.keys(PORTFOLIO_RESOURCES), example: 'ledger' })
  async read(
    @Param('resource') name: string,
    @Query() query: PortfolioQuery,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<PortfolioResponse | string> {
    const resource = (PORTFOLIO_RESOURCES as Record<string, (typeof PORTFOLIO_RESOURCES)[PortfolioResourceName]>)[name];
    if (resource === undefined) throw new BadRequestException(`resource must be one of ${Object.keys(PORTFOLIO_RESOURCES).join(', ')}`);
    const filters: Partial<Record<PortfolioFilter, string>> = {};
    for (const filter of PORTFOLIO_FILTERS) {
      const value = query[filter];
      if (value === undefined) continue;
      if (resource.filters[filter] === undefined) throw new BadRequestException(`${name} cannot be filtered by ${filter}`);
      filters[filter] = value;
    }
    const sort = query.sort ?? resource.defaultSort;
    if (!resource.sorts.includes(sort.replace(/^-/, ''))) {
      throw new BadRequestException(`${name} sorts by ${resource.sorts.join(', ')} (with - first for descending), not ${sort}`);
    }
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 100;
    const { asOf, result } = await this.snapshot(async (client) => ({
      asOf: (await loadBusinessDate(client)).businessDate,
      result: await portfolioPage(client, resource, { filters, sort, page, pageSize }),
    }));
    if (query.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="${name}-${asOf}-page-${page}.csv"`);
      return toCsv(Object.keys(resource.columns), result.rows);
    }
    return { resource: name, asOf, page, pageSize, total: result.total, sort, rows: result.rows };
  }

  private async snapshot<T>(read: (client: Pick<Pool, 'query'>) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await read(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
