import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import { toJson, type MoneyJson } from '@arc/money';
import { ReceivablesView } from '../../views/receivables.view';
import { ROLE_MATRIX } from '../role-matrix';

export interface OpenItemsResponse {
  customerId: string;
  /** Invoices with money open (total less credit notes and allocated payments): what the dunning chases. */
  items: { invoiceId: string; invoiceNumber: string; dueDate: string; open: MoneyJson }[];
  /** Everything allocated to the customer's invoices so far, per currency. */
  paidToDate: MoneyJson[];
}

/** What collections knows of a customer's open items (its receivables view: as current as its consumer). */
@ApiTags('collection cases')
@Controller('customers/:customerId/open-items')
export class OpenItemsController {
  constructor(@Inject(ReceivablesView) private readonly receivables: ReceivablesView) {}

  @Get()
  @Roles(ROLE_MATRIX.readCases)
  async openItems(@Param('customerId', ParseUUIDPipe) customerId: string): Promise<OpenItemsResponse> {
    const [customer] = await this.receivables.dunningCustomers(undefined, [customerId]);
    return {
      customerId,
      items: (customer?.items ?? []).map((i) => ({ ...i, open: toJson(i.open) })),
      paidToDate: (await this.receivables.paidToDate(customerId)).map(toJson),
    };
  }
}
