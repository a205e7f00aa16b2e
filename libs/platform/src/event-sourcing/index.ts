export { EventSourcingModule, EventSourcingLifecycle, type EventSourcingOptions } from './event-sourcing.module';
export { Commands, type ExecuteCommand, type LoadedStream } from './commands';
export { connectEventConsumers, EnvelopeCorrelationInterceptor, type EventConsumersOptions } from './event-consumers';
export { EVENT_SOURCING_OPTIONS, type ResolvedEventSourcingOptions } from './tokens';
