import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import { ReadModelQueries } from './read-model.queries';
import { ROLE_MATRIX } from './role-matrix';

export interface BusinessDateResponse {
  businessDate: string;
  /** false while no BusinessDayClosed has been consumed (the configured initial date). */
  fromCalendar: boolean;
}

@ApiTags('read models')
@Controller('business-date')
export class BusinessDateController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  /** The current business date: the latest day closed on arc.calendar. */
  @Get()
  @Roles(ROLE_MATRIX.readBusinessDate)
  async businessDate(): Promise<BusinessDateResponse> {
    const { businessDate, fromCalendar } = await this.queries.businessDate();
    return { businessDate, fromCalendar };
  }
}
