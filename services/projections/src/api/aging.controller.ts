import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Roles } from '@arc/auth';
import { isBefore, isBusinessDate, parseBusinessDate } from '@arc/clock';
import type { CustomerAgingChangedData } from '@arc/contracts';
import { exactNumberOrNull, ratioBasisPoints } from '@arc/money';
import { UnprocessableProblem } from '@arc/platform';
import { agingChangedData, customerAging } from '../domain';
import { ReadModelQueries } from './read-model.queries';
import { ROLE_MATRIX } from './role-matrix';

export class AgingQuery {
  @ApiPropertyOptional({
    example: '2026-02-15',
    description:
      'the date to age the open items at; default and earliest: the last closed day. A date before it is refused (422 ' +
      '`as-of-history-unavailable`): the read model keeps balances, not their history, so it cannot say what was open then',
  })
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

  /**
   * Aging of the customer's open items at a date (default: the last closed day); 404 for a customer never seen;
   * 422 `as-of-history-unavailable` for a date before the last closed day (no history is kept yet).
   */
  @Get()
  @Roles(ROLE_MATRIX.readAging)
  async aging(@Param('customerId', ParseUUIDPipe) customerId: string, @Query() query: AgingQuery): Promise<AgingResponse> {
    if (query.asOf !== undefined && !isBusinessDate(query.asOf)) {
      throw new BadRequestException(`asOf ${query.asOf} is not a calendar date`);
    }
    const found = await this.queries.customer(customerId);
    if (found === null) throw new NotFoundException(`no ledger or exposure is known for customer ${customerId}`);
    const asOf = query.asOf === undefined ? found.businessDate : parseBusinessDate(query.asOf);
    // The rows hold today's balances: aging them at an earlier date would subtract payments and notes made after it.
    if (isBefore(asOf, found.businessDate)) throw asOfHistoryUnavailable(asOf, found.businessDate);
    const aging = customerAging(customerId, found.rows, asOf).map((a): AgingFigures => {
      const ratio = ratioBasisPoints(a.overdue, a.totalOpen);
      return { ...agingChangedData(a), overdueRatioBasisPoints: exactNumberOrNull(ratio) };
    });
    return { customerId, asOf, aging };
  }
}

/** The problem type of an as-of date the read model cannot answer truthfully. */
export const AS_OF_HISTORY_UNAVAILABLE = 'urn:arc:problem:as-of-history-unavailable';

/**
 * Refuses rather than answers a wrong figure: the ledger rows are balances now, without the dates of the payments
 * and credit notes in them, so aging as of a past day would count later payments as already received. True as-of
 * history (ledger, aging, exposure for any past business date) is a capability still to be built.
 */
function asOfHistoryUnavailable(asOf: string, lastClosedDay: string): UnprocessableProblem {
  return new UnprocessableProblem(
    `aging as of ${asOf} needs the history of the open items before the last closed day ${lastClosedDay}, which projections does not keep yet; ` +
      `ask for ${lastClosedDay} or later`,
    { type: AS_OF_HISTORY_UNAVAILABLE, title: 'As-of history not available', asOf, lastClosedDay, missingCapability: 'as-of-history' },
  );
}
