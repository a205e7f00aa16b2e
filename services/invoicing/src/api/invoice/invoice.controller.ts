import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import { Commands } from '@arc/platform';
import { invoiceDecider, invoiceStreamId } from '../../domain/invoice.decider';
import { invoiceResponse, type InvoiceResponse } from '../invoice-response';
import { ROLE_MATRIX } from '../role-matrix';

@ApiTags('invoices')
@Controller('invoices/:invoiceId')
export class InvoiceController {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  /** The invoice as its stream knows it (total, credited, due date, credit notes); 404 when never issued. */
  @Get()
  @Roles(ROLE_MATRIX.readInvoice)
  async invoice(@Param('invoiceId', ParseUUIDPipe) invoiceId: string): Promise<InvoiceResponse> {
    const id = invoiceId.toLowerCase();
    const { state } = await this.commands.load(invoiceDecider, invoiceStreamId(id));
    return invoiceResponse(id, state);
  }
}
