/*
 * Renders a DocumentSpec to PDF bytes with pdfkit: A4, the standard Helvetica fonts (no font files), a
 * letterhead (sender, date, reference), the recipient's address, a heading, paragraphs, an items table with
 * money columns right-aligned (repeating its header on each new page), totals and closing paragraphs, and a
 * footer with the page number on every page. In memory only: no file, no clock (the PDF's creation date is
 * the document date), so one spec always renders the same text.
 */
import PDFDocument from 'pdfkit';
import type { Money } from '@arc/money';
import type { Cell, Column, DocumentSpec, ItemsTable } from './document';
import { formatMoney } from './format';

export const PDF_CONTENT_TYPE = 'application/pdf';

const MARGIN = 56;
const BODY_SIZE = 10;
const ROW_GAP = 4;

type Doc = InstanceType<typeof PDFDocument>;

const isMoney = (cell: Cell): cell is Money => cell !== null && typeof cell === 'object';
const cellText = (cell: Cell): string => (cell === null ? '' : isMoney(cell) ? formatMoney(cell) : cell);

/** The document date as the PDF's creation date: a fixed instant derived from data, never from the clock. */
function creationDate(date: string): Date | undefined {
  const parsed = new Date(`${date}T00:00:00.000Z`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

export async function renderPdf(spec: DocumentSpec): Promise<Buffer> {
  const created = creationDate(spec.date);
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: spec.title, Creator: 'ARC', Producer: 'ARC', ...(created ? { CreationDate: created, ModDate: created } : {}) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;

  // Letterhead: the sender on the left, the date and reference on the right, on the same lines.
  const top = doc.y;
  doc.font('Helvetica').fontSize(BODY_SIZE);
  if (spec.from) {
    doc.font('Helvetica-Bold').text(spec.from.name, left, top, { width: width / 2 });
    doc.font('Helvetica');
    for (const line of spec.from.lines) doc.text(line, { width: width / 2 });
  }
  const afterFrom = doc.y;
  doc.text(`Date: ${spec.date}`, left + width / 2, top, { width: width / 2, align: 'right' });
  if (spec.reference) doc.text(`Reference: ${spec.reference}`, left + width / 2, doc.y, { width: width / 2, align: 'right' });
  doc.y = Math.max(afterFrom, doc.y);
  doc.x = left;

  if (spec.to) {
    doc.moveDown(2);
    doc.font('Helvetica-Bold').text(spec.to.name, left, doc.y, { width });
    doc.font('Helvetica');
    for (const line of spec.to.lines) doc.text(line, { width });
  }

  doc.moveDown(2);
  doc.font('Helvetica-Bold').fontSize(16).text(spec.title, left, doc.y, { width });
  doc.font('Helvetica').fontSize(BODY_SIZE).moveDown(1);

  for (const paragraph of spec.paragraphs ?? []) paragraphText(doc, paragraph, left, width);

  let lastMoneyColumn: { x: number; width: number } | null = null;
  if (spec.table) lastMoneyColumn = drawTable(doc, spec.table, left, width);

  if (spec.totals && spec.totals.length > 0) {
    const amountColumn = lastMoneyColumn ?? { x: left + (width * 2) / 3, width: width / 3 };
    doc.font('Helvetica-Bold');
    for (const total of spec.totals) {
      ensureRoom(doc, BODY_SIZE + ROW_GAP);
      const y = doc.y;
      doc.text(total.label, left, y, { width: amountColumn.x - left - 8, align: 'right' });
      doc.text(formatMoney(total.amount), amountColumn.x, y, { width: amountColumn.width, align: 'right' });
      doc.y = y + BODY_SIZE + ROW_GAP;
    }
    doc.font('Helvetica');
    doc.moveDown(1);
  }

  for (const paragraph of spec.closing ?? []) paragraphText(doc, paragraph, left, width);

  drawFooters(doc, spec.footer ?? null, left, width);
  doc.end();
  return done;
}

function paragraphText(doc: Doc, text: string, left: number, width: number): void {
  doc.text(text, left, doc.y, { width, align: 'left' });
  doc.moveDown(0.8);
}

/** Starts a new page if fewer than `height` points are left above the bottom margin. */
function ensureRoom(doc: Doc, height: number): boolean {
  if (doc.y + height <= doc.page.height - doc.page.margins.bottom) return false;
  doc.addPage();
  return true;
}

interface Placed {
  readonly column: Column;
  readonly x: number;
  readonly width: number;
}

function layout(columns: readonly Column[], left: number, width: number): Placed[] {
  const total = columns.reduce((sum, c) => sum + (c.weight ?? 1), 0);
  let x = left;
  return columns.map((column) => {
    const w = (width * (column.weight ?? 1)) / total;
    const placed = { column, x, width: w };
    x += w;
    return placed;
  });
}

function drawRow(doc: Doc, placed: readonly Placed[], texts: readonly string[], bold: boolean): void {
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(BODY_SIZE);
  const heights = placed.map((p, i) => doc.heightOfString(texts[i] ?? '', { width: p.width - 6 }));
  const height = Math.max(BODY_SIZE, ...heights);
  ensureRoom(doc, height + ROW_GAP);
  const y = doc.y;
  placed.forEach((p, i) => {
    const align = p.column.kind === 'money' ? 'right' : 'left';
    doc.text(texts[i] ?? '', p.x + (align === 'left' ? 0 : 3), y, { width: p.width - 3, align });
  });
  doc.y = y + height + ROW_GAP;
}

function drawTable(doc: Doc, table: ItemsTable, left: number, width: number): { x: number; width: number } | null {
  const placed = layout(table.columns, left, width);
  const headers = table.columns.map((c) => c.header);
  const header = () => {
    drawRow(doc, placed, headers, true);
    const y = doc.y - ROW_GAP / 2;
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .stroke();
    doc.y = y + ROW_GAP / 2;
  };
  ensureRoom(doc, 3 * (BODY_SIZE + ROW_GAP));
  header();
  for (const row of table.rows) {
    const texts = table.columns.map((_, i) => cellText(row[i] ?? null));
    // A row that would not fit starts a new page, which repeats the header first.
    const height = Math.max(BODY_SIZE, ...placed.map((p, i) => doc.heightOfString(texts[i] ?? '', { width: p.width - 6 })));
    if (ensureRoom(doc, height + ROW_GAP)) header();
    drawRow(doc, placed, texts, false);
  }
  const y = doc.y - ROW_GAP / 2;
  doc
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(0.5)
    .stroke();
  doc.y = y + ROW_GAP;
  const money = [...placed].reverse().find((p) => p.column.kind === 'money');
  return money ? { x: money.x, width: money.width } : null;
}

function drawFooters(doc: Doc, footer: string | null, left: number, width: number): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Writing inside the bottom margin would make pdfkit add a page: lift the margin while writing.
    doc.page.margins.bottom = 0;
    const text = `${footer ? `${footer}   ·   ` : ''}Page ${i - range.start + 1} of ${range.count}`;
    doc
      .font('Helvetica')
      .fontSize(8)
      .text(text, left, doc.page.height - bottom / 2 - 8, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}
