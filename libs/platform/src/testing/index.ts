export * from './service-under-test';
export * from './guarded-routes';
