import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { Roles } from '@arc/auth';
import { CasesView, type CaseView } from '../../views/cases.view';
import { ROLE_MATRIX } from '../role-matrix';

export const CASE_STATUSES = ['open', 'closed'] as const;

export class ListCasesQuery {
  /** open or closed; every case when absent. */
  @ApiPropertyOptional({ enum: CASE_STATUSES, example: 'open', description: 'open or closed; every case when absent' })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: (typeof CASE_STATUSES)[number];

  /** At most this many cases, oldest opening first (default 100, at most 1000). */
  @ApiPropertyOptional({
    example: 100,
    minimum: 1,
    maximum: 1000,
    description: 'at most this many cases, oldest opening first (default 100)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export interface CustomerCasesResponse {
  customerId: string;
  /** The open case, else the last one closed. */
  current: CaseView;
  /** Every case of the customer, the current first. */
  cases: CaseView[];
}

@ApiTags('collection cases')
@Controller('cases')
export class CasesController {
  constructor(@Inject(CasesView) private readonly view: CasesView) {}

  /** Collection cases from the cases view (as current as the aging consumer; see the README). */
  @Get()
  @Roles(ROLE_MATRIX.readCases)
  async list(@Query() query: ListCasesQuery): Promise<{ cases: CaseView[] }> {
    return { cases: await this.view.list(query.status, query.limit ?? 100) };
  }

  /** The customer's current (open) or last case, and its earlier ones; 404 when the customer never had one. */
  @Get(':customerId')
  @Roles(ROLE_MATRIX.readCases)
  async ofCustomer(@Param('customerId', ParseUUIDPipe) customerId: string): Promise<CustomerCasesResponse> {
    const cases = await this.view.ofCustomer(customerId);
    const current = cases[0];
    if (current === undefined) throw new NotFoundException(`customer ${customerId} has no collection case`);
    return { customerId, current, cases };
  }
}
