export {
  excessAllocations,
  exposure,
  invoiceBalance,
  invoiceStatus,
  noFigures,
  openAr,
  openArDelta,
  openBalance,
  unappliedCash,
  type InvoiceBalance,
  type InvoiceFigures,
} from './balance';
export { awaitedReturns, excessReturns, type ExcessReturn, type PaymentShare } from './over-allocation';
export {
  RECEIVABLE_EVENT_TYPES,
  RECEIVABLE_MOVEMENTS,
  chargeReduction,
  moveFigures,
  type MovedFigure,
  type ReceivableEventType,
} from './movements';
