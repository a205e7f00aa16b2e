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
export { DEMO, DemoClient, awaitSettled, seedDemo, summary, type SeedResult } from './demo';
export { restartDelayMs, DEFAULT_BACKOFF, type Backoff, type ExitStatus } from './supervisor';
