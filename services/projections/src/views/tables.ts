/* The names of the read model's tables and of the BI schema (schema.ts and history-schema.ts both use them). */
export const LEDGER_TABLE = 'projections_ar_ledger';
export const EXPOSURE_STATE_TABLE = 'projections_exposure_state';
export const EXPOSURE_TABLE = 'projections_customer_exposure';
export const BUSINESS_DATE_TABLE = 'projections_business_date';
export const PUBLISHED_TABLE = 'projections_published_changes';
export const REPORTING_SCHEMA = 'reporting';
