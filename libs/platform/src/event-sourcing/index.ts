export { EventSourcingModule, EventSourcingLifecycle, type EventSourcingOptions } from './event-sourcing.module';
export { Commands, type ExecuteCommand, type LoadedStream } from './commands';
export { handleCommand, fold, CommandConflictError, type HandleCommandOptions, type CommandResult } from './handle-command';
export { connectEventConsumers, EnvelopeCorrelationInterceptor, type EventConsumersOptions } from './event-consumers';
export { EVENT_SOURCING_OPTIONS, type ResolvedEventSourcingOptions } from './tokens';
