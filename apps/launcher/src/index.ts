export {
  launchPlatform,
  deletePlatformTopics,
  ownRuntime,
  withDatabase,
  type LaunchOptions,
  type Platform,
  type RunningService,
  type Runtime,
} from './launcher';
export { SERVICES, isServiceName, type ServiceName } from './services';
export { readModelStatus, rebuildReadModels, type ReadModelStatus, type RebuildTarget } from './rebuild';
export { DEMO, seedDemo, type SeedResult } from './demo';
export { DemoClient } from './demo-client';
export { awaitSettled, summary } from './demo-summary';
export { restartDelayMs, DEFAULT_BACKOFF, type Backoff, type ExitStatus } from './supervisor';
