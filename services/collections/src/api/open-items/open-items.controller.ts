import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import { toJson, type MoneyJson } from '@arc/money';
import { ReceivablesView } from '../../views/receivables.view';
import { ROLE_MATRIX } from '../role-matrix';

export interface OpenItemsResponse {
  customerId: string;
  /**
   * What the dunning chases: each invoice's due items (instalments separately, `dueSequence`) with the money open
   * on them (total less credit notes, allocated payments, write-offs and open disputes).
   */
  items: { invoiceId: string; invoiceNumber: string; dueDate: string; open: MoneyJson; dueSequence?: number | null }[];
  /** Open disputes: their amounts are left out of the items until invoicing resolves them. */
  disputes: { disputeId: string; invoiceId: string; invoiceNumber: string | null; dueSequence: number | null; amount: MoneyJson }[];
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
      disputes: (await this.receivables.openDisputes(customerId)).map((d) => ({ ...d, amount: toJson(d.amount) })),
      paidToDate: (await this.receivables.paidToDate(customerId)).map(toJson),
    };
  }
}
