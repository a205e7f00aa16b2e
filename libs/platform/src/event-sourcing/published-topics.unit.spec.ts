import { publishedTopics } from './event-sourcing.module';

describe('publishedTopics (the topics EventSourcingModule ensures)', () => {
  it('is the default topic and every route’s, each once, leaving out unpublished (null) types', () => {
    expect(publishedTopics({ topic: 'arc.invoicing.events', routes: {} })).toEqual(['arc.invoicing.events']);
    expect(
      publishedTopics({
        topic: 'arc.invoicing.events',
        routes: { BusinessDayClosed: 'arc.calendar', Other: 'arc.calendar', Same: 'arc.invoicing.events', Private: null },
      }),
    ).toEqual(['arc.invoicing.events', 'arc.calendar']);
  });
});
