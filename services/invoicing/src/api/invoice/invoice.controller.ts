import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import { Commands } from '@arc/platform';
import { BUSINESS_CALENDAR_STREAM_ID, businessCalendarDecider } from '../../domain/business-calendar.decider';
import { invoiceDecider, invoiceStreamId } from '../../domain/invoice.decider';
import { invoiceResponse, type InvoiceResponse } from '../invoice-response';
import { ROLE_MATRIX } from '../role-matrix';

@ApiTags('invoices')
@Controller('invoices/:invoiceId')
export class InvoiceController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  /**
   * The invoice as its stream knows it: total, credit and debit notes, cash, open balance, its instalments with what
   * is open and days overdue (as of the last closed day), disputes, write-offs, late interest; 404 when never issued.
   */
  @Get()
  @Roles(ROLE_MATRIX.readInvoice)
  async invoice(@Param('invoiceId', ParseUUIDPipe) invoiceId: string): Promise<InvoiceResponse> {
    const id = invoiceId.toLowerCase();
    const { state } = await this.commands.load(invoiceDecider, invoiceStreamId(id));
    const calendar = (await this.commands.state(businessCalendarDecider, BUSINESS_CALENDAR_STREAM_ID)).state;
    return invoiceResponse(id, state, calendar.started ? calendar.lastClosed : null);
  }
}
