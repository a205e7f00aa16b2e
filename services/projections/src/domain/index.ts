export * from './ar-ledger.projection';
export * from './aging-buckets';
export * from './aging';
export * from './exposure.projection';
export * from './kpis';
export * from './changes';
export * from './as-of';
export * from './payment-behaviour';
