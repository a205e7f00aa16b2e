import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import { ReadModelQueries } from './read-model.queries';
import { ROLE_MATRIX } from './role-matrix';

export interface BusinessDateResponse {
  /** The last day closed on arc.calendar: the date every figure here is as of. */
  lastClosedDay: string;
  /** false while no BusinessDayClosed has been consumed (the configured initial date). */
  fromCalendar: boolean;
  /**
   * Deprecated, the old name of lastClosedDay (the same value), answered for one more release: "business date"
   * meant the last closed day here but the open day in invoicing's calendar.
   */
  businessDate: string;
}

@ApiTags('read models')
@Controller('business-date')
export class BusinessDateController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  /** The last closed day (the latest BusinessDayClosed on arc.calendar), which the read models are as of. */
  @Get()
  @Roles(ROLE_MATRIX.readBusinessDate)
  async businessDate(): Promise<BusinessDateResponse> {
    const { businessDate, fromCalendar } = await this.queries.businessDate();
    return { lastClosedDay: businessDate, fromCalendar, businessDate };
  }
}
