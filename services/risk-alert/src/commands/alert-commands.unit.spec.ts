import { alertIdFor } from './alert-commands';

describe('alertIdFor', () => {
  it('derives the same UUID from the same command id, another from another', () => {
    const id = alertIdFor('evaluate:e1:rule-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(alertIdFor('evaluate:e1:rule-1')).toBe(id);
    expect(alertIdFor('evaluate:e2:rule-1')).not.toBe(id);
  });
});
