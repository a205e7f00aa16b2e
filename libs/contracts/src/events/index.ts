export * from './calendar.events';
export * from './collections.events';
export * from './credit.events';
export * from './invoicing.events';
export * from './invoicing-resolution.events';
export * from './invoicing-statements.events';
export * from './payments.events';
export * from './projections.events';
export * from './risk.events';
export * from './registry';
export {
  isIsoDate,
  isMinorUnits,
  type AnyEventContract,
  type DataOf,
  type EventContract,
  type EventOf,
  type EventUnion,
  type IsoDate,
  type IsoInstant,
  type MoneyJson,
  type Uuid,
  type ValidationResult,
} from './validation';
export * from './credit-assessment.events';
export * from './credit-exposure.events';
export * from './credit-file.events';
export * from './credit-limits.events';
