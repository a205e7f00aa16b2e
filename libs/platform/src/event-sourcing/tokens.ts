/** The resolved EventSourcingModule options. */
export const EVENT_SOURCING_OPTIONS = Symbol.for('arc.platform.eventSourcing.options');

export interface ResolvedEventSourcingOptions {
  topic: string;
  partitions: number;
  relayName: string;
  brokers: string[];
  clientId: string;
  relay: boolean;
}
