export type { Address, Cell, Column, ColumnKind, DocumentSpec, ItemsTable, TotalLine } from './document';
export { formatMoney } from './format';
export { renderPdf, PDF_CONTENT_TYPE } from './render';
