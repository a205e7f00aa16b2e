import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Roles } from '@arc/auth';
import { isBusinessDate, parseBusinessDate } from '@arc/clock';
import type { CustomerAgingChangedData } from '@arc/contracts';
import { ratioBasisPoints } from '@arc/money';
import { agingChangedData, customerAging } from '../domain';
import { ReadModelQueries } from './read-model.queries';
import { ROLE_MATRIX } from './role-matrix';

export class AgingQuery {
  @ApiPropertyOptional({ example: '2026-02-15', description: 'the as-of business date; default: the current business date' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date written YYYY-MM-DD' })
  asOf?: string;
}

export type AgingFigures = CustomerAgingChangedData & {
  /** overdue / total open in basis points, half-up; null when nothing is open. */
  overdueRatioBasisPoints: number | null;
};

export interface AgingResponse {
  customerId: string;
  asOf: string;
  /** One entry per currency the customer has been invoiced in (default bucket set). */
  aging: AgingFigures[];
}

@ApiTags('read models')
@Controller('customers/:customerId/aging')
export class AgingController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  /** Aging of the customer's open items as of a business date (default: the current one); 404 for a customer never seen. */
  @Get()
  @Roles(ROLE_MATRIX.readAging)
  async aging(@Param('customerId', ParseUUIDPipe) customerId: string, @Query() query: AgingQuery): Promise<AgingResponse> {
    if (query.asOf !== undefined && !isBusinessDate(query.asOf)) {
      throw new BadRequestException(`asOf ${query.asOf} is not a calendar date`);
    }
    const found = await this.queries.customer(customerId);
    if (found === null) throw new NotFoundException(`no ledger or exposure is known for customer ${customerId}`);
    const asOf = query.asOf === undefined ? found.businessDate : parseBusinessDate(query.asOf);
    const aging = customerAging(customerId, found.rows, asOf).map((a): AgingFigures => {
      const ratio = ratioBasisPoints(a.overdue, a.totalOpen);
      return { ...agingChangedData(a), overdueRatioBasisPoints: ratio === null ? null : Number(ratio) };
    });
    return { customerId, asOf, aging };
  }
}
