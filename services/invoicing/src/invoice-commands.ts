import { Inject, Injectable } from '@nestjs/common';
import { Commands, type CommandResult, type ExecuteCommand } from '@arc/platform';
import { invoiceDecider, invoiceStreamId, type Invoice, type InvoiceCommand } from './domain/invoice.decider';
import { ReceivablesView } from './views/receivables.view';

/**
 * The one way invoicing runs a command on an invoice: decide and append (Commands), then record the invoice's
 * row and ledger movements in the same transaction, so the day close and the statements never miss an event.
 */
@Injectable()
export class InvoiceCommands {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(ReceivablesView) private readonly view: ReceivablesView,
  ) {}

  async execute(request: ExecuteCommand<InvoiceCommand>): Promise<CommandResult<Invoice>> {
    const result = await this.commands.execute(invoiceDecider, request);
    if (result.events.length > 0) await this.view.record(result.newState, result.streamVersion, result.events);
    return result;
  }

  /** The invoice as its stream folds now (through the current transaction when there is one). */
  async state(invoiceId: string): Promise<Invoice> {
    return (await this.commands.state(invoiceDecider, invoiceStreamId(invoiceId))).state;
  }
}
