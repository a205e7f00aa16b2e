import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import type { CustomerExposureChangedData } from '@arc/contracts';
import { CurrencyMismatchError, exactNumberOrNull, ratioBasisPoints } from '@arc/money';
import { ConflictProblem } from '@arc/platform';
import { customerExposure, exposureChangedData } from '../domain';
import { AsOfQuery, asOfOf } from './as-of.query';
import { ReadModelQueries } from './read-model.queries';
import { ROLE_MATRIX } from './role-matrix';

export type ExposureResponse = CustomerExposureChangedData & {
  /** overdue / open AR in basis points, half-up; null when nothing is open. */
  overdueRatioBasisPoints: number | null;
};

@ApiTags('read models')
@Controller('customers/:customerId/exposure')
export class ExposureController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  /**
   * Exposure of the customer as of a date (default: the last closed day); 404 while the service knows nothing of it.
   * As of a past closed day, open AR, overdue and unapplied allocations are that day's (dated fold); the limit,
   * reservations, class, hold and cash on account are today's (credit events carry no business date).
   */
  @Get()
  @Roles(ROLE_MATRIX.readExposure)
  async exposure(@Param('customerId', ParseUUIDPipe) customerId: string, @Query() query: AsOfQuery): Promise<ExposureResponse> {
    const found = await this.queries.customer(customerId, asOfOf(query));
    let exposure;
    try {
      exposure = found === null ? null : customerExposure(found.state, found.rows, found.asOf);
    } catch (error) {
      if (!(error instanceof CurrencyMismatchError)) throw error;
      throw new ConflictProblem(`the exposure of customer ${customerId} needs FX rates, which are not recorded yet`);
    }
    if (exposure === null) throw new NotFoundException(`no exposure is known for customer ${customerId}`);
    const ratio = ratioBasisPoints(exposure.overdue, exposure.openAr);
    return { ...exposureChangedData(exposure), overdueRatioBasisPoints: exactNumberOrNull(ratio) };
  }
}
