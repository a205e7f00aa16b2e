import { renderPdf } from '@arc/documents';
import { pdfToText } from '@arc/documents/testing';
import { parseMajor } from '@arc/money';
import { letterDocument } from './letters';

const step = {
  customerId: 'c0000000-0000-4000-8000-000000000001',
  invoiceId: '1a000000-0000-4000-8000-000000000001',
  invoiceNumber: 'INV-2026-0042',
  stepId: 'demand-letter',
  action: 'demand-letter' as const,
  channels: ['email' as const, 'letter' as const],
  template: 'demand-letter',
  dueDate: '2026-03-01',
  businessDate: '2026-03-31',
  scheduledOn: '2026-03-31',
  offsetDays: 30,
  openAmount: { amountMinor: '1234567', currency: 'EUR' },
};

describe('dunning letters (PDF)', () => {
  it('a demand letter says what the e-mail says, to the dunning contact, with every open item and the total, exact to the cent', async () => {
    const text = await pdfToText(
      await renderPdf(
        letterDocument(step, {
          legalName: 'Acme Industrie GmbH',
          contactName: 'Erika Muster',
          items: [
            { invoiceId: step.invoiceId, invoiceNumber: 'INV-2026-0042', dueDate: '2026-03-01', open: parseMajor('12345.67', 'EUR') },
            { invoiceId: 'x', invoiceNumber: 'INV-2026-0050', dueDate: '2026-03-20', open: parseMajor('100.00', 'EUR') },
          ],
        }),
      ),
    );
    expect(text).toContain('Formal demand for payment: invoice INV-2026-0042');
    expect(text).toContain('Acme Industrie GmbH');
    expect(text).toContain('Attn. Erika Muster');
    expect(text).toContain('Dear Erika Muster,');
    expect(text).toContain('Date: 2026-03-31');
    expect(text).toMatch(/Despite our reminders, invoice INV-2026-0042 of EUR 12,345\.67, due on 2026-03-01, remains unpaid\./);
    expect(text).toMatch(/INV-2026-0042\s+2026-03-01\s+EUR 12,345\.67/);
    expect(text).toMatch(/INV-2026-0050\s+2026-03-20\s+EUR 100\.00/);
    expect(text).toMatch(/Total open\s+EUR 12,445\.67/);
    expect(text).toContain('We demand payment within 10 days of this notice.');
  });
});
