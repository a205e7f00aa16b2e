import { parseMajor } from '@arc/money';
import { renderDunningMessage } from './templates';

const step = {
  customerId: 'c0000000-0000-4000-8000-000000000001',
  invoiceId: '1a000000-0000-4000-8000-000000000001',
  invoiceNumber: 'INV-2026-0042',
  stepId: 'friendly-reminder',
  action: 'friendly-reminder' as const,
  channels: ['email' as const],
  template: 'friendly-reminder',
  dueDate: '2026-03-01',
  businessDate: '2026-03-02',
  scheduledOn: '2026-03-02',
  offsetDays: 1,
  openAmount: { amountMinor: '1234567', currency: 'EUR' },
};

describe('dunning message templates', () => {
  const message = renderDunningMessage('friendly-reminder', {
    step,
    customerName: 'Acme <GmbH>',
    contactName: null,
    openItems: [
      { invoiceId: step.invoiceId, invoiceNumber: 'INV-2026-0042', dueDate: '2026-03-01', open: parseMajor('12345.67', 'EUR') },
      { invoiceId: 'x', invoiceNumber: 'INV-2026-0050', dueDate: '2026-03-20', open: parseMajor('100.00', 'EUR') },
    ],
  });

  it('names the dunned invoice and its open amount, exact to the cent', () => {
    expect(message.subject).toBe('Payment reminder: invoice INV-2026-0042 is overdue');
    expect(message.text).toContain('INV-2026-0042 (EUR 12,345.67 open) was due on 2026-03-01');
  });

  it('lists every open item and their total in both parts', () => {
    expect(message.text).toContain('INV-2026-0050');
    expect(message.text).toContain('EUR 12,445.67');
    expect(message.html).toContain('<td>INV-2026-0050</td>');
    expect(message.html).toContain('EUR 12,445.67');
  });

  it('greets the customer when there is no contact name, escaping it in the HTML part', () => {
    expect(message.text.startsWith('Dear Acme <GmbH>,')).toBe(true);
    expect(message.html).toContain('Dear Acme &lt;GmbH&gt;,');
  });
});
