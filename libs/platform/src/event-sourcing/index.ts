export { EventSourcingModule, EventSourcingLifecycle, type EventSourcingOptions } from './event-sourcing.module';
export { Commands, runAsRequest, type ExecuteCommand, type LoadedStream } from './commands';
export {
  handleCommand,
  fold,
  toDomainEvent,
  CommandConflictError,
  CommandIdReusedError,
  type HandleCommandOptions,
  type CommandResult,
} from './handle-command';
// A service's own tables written in the command's (or batch's) transaction: the one store API with Commands.
export { transactional, type Queryable } from '@arc/event-store';
export { connectEventConsumers, EnvelopeCorrelationInterceptor, type EventConsumersOptions } from './event-consumers';
export { EVENT_SOURCING_OPTIONS, type ResolvedEventSourcingOptions } from './tokens';
