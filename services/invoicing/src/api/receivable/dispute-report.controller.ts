import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import { ROLE_MATRIX } from '../role-matrix';
import { ReceivablesView, type DisputeReasonFigures } from '../../views/receivables.view';

/** Disputes reported by reason code: counts by outcome, amounts disputed and accepted, mean days to resolve. */
@ApiTags('invoices')
@Controller('disputes')
export class DisputeReportController {
  constructor(@Inject(ReceivablesView) private readonly view: ReceivablesView) {}

  @Get('by-reason')
  @Roles(ROLE_MATRIX.readInvoice)
  async byReason(): Promise<{ reasons: DisputeReasonFigures[] }> {
    return { reasons: await this.view.disputesByReason() };
  }
}
