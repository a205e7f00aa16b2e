export { defineService, envPrefixOf, loadServiceConfig, type ServiceConfig, type ServiceDefinition } from './service-config';
export { serviceModule, SERVICE_CONSUMERS, type ServiceAppOptions, type ServiceConsumers, type ServiceParts } from './service-module';
export { connectServiceConsumers, runService, startService } from './run-service';
