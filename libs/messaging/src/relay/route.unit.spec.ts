import type { StoredEvent } from '@arc/event-store';
import { routeByEventType } from './relay';

const event = (eventType: string) => ({ eventType }) as StoredEvent;

describe('routeByEventType', () => {
  it('sends routed types to their topic, null-routed types nowhere, and every other type to the default topic', () => {
    const route = routeByEventType('arc.invoicing.events', { BusinessDayClosed: 'arc.calendar', BusinessCalendarStarted: null });
    expect(route(event('BusinessDayClosed'))).toBe('arc.calendar');
    expect(route(event('BusinessCalendarStarted'))).toBeNull();
    expect(route(event('InvoiceIssued'))).toBe('arc.invoicing.events');
    expect(route(event('toString'))).toBe('arc.invoicing.events'); // only the map's own keys route
    expect(routeByEventType('t')(event('Anything'))).toBe('t');
  });
});
