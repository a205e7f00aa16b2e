export * from './endpoints';
export * from './kafka';
export * from './postgres';
export * from './processes';
export * from './wait-for';
export { deletePlatformTopics, launchPlatform, ownRuntime, SERVICES, type LaunchOptions, type Platform, type RunningService, type Runtime, type ServiceName } from './launcher/launcher';
