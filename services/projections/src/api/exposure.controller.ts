import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import type { CustomerExposureChangedData } from '@arc/contracts';
import { CurrencyMismatchError, exactNumberOrNull, ratioBasisPoints } from '@arc/money';
import { ConflictProblem } from '@arc/platform';
import { customerExposure, exposureChangedData } from '../domain';
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

  /** Exposure of the customer as of the current business date; 404 while the service knows nothing of it. */
  @Get()
  @Roles(ROLE_MATRIX.readExposure)
  async exposure(@Param('customerId', ParseUUIDPipe) customerId: string): Promise<ExposureResponse> {
    const found = await this.queries.customer(customerId);
    let exposure;
    try {
      exposure = found === null ? null : customerExposure(found.state, found.rows, found.businessDate);
    } catch (error) {
      if (!(error instanceof CurrencyMismatchError)) throw error;
      throw new ConflictProblem(`the exposure of customer ${customerId} needs FX rates, which are not recorded yet`);
    }
    if (exposure === null) throw new NotFoundException(`no exposure is known for customer ${customerId}`);
    const ratio = ratioBasisPoints(exposure.overdue, exposure.openAr);
    return { ...exposureChangedData(exposure), overdueRatioBasisPoints: exactNumberOrNull(ratio) };
  }
}
