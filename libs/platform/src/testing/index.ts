export * from './service-under-test';
export * from './guarded-routes';
export { duringUnfinishedReplay } from './unfinished-replay';
