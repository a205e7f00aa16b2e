export * from './service-under-test';
export * from './guarded-routes';
export { duringUnfinishedReplay } from './unfinished-replay';
export {
  expectEveryRouteRefusesGeneratedInput,
  formatFigures,
  generatedInputTimeout,
  generatedRequestCount,
  type GeneratedInputFigures,
  type GeneratedInputOptions,
} from './generated-input/fuzz-routes';
export { documentedOperations, operationsOf, type Operation } from './generated-input/openapi-operations';
export { useServiceUnderTest, type ServiceSuite, type ServiceSuiteOptions } from './service-suite';
export { describeGeneratedInput } from './generated-input/service-generated-input';
