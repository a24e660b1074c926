import { describe, expect, it } from 'vitest';
import { instancesProgressTopic, progressIdGroups } from './instances';

describe('progressIdGroups', () => {
  it('keeps every id once, in order, at most 50 per group and each topic under the server limit', () => {
    const uuids = Array.from({ length: 120 }, (_, i) => `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`);
    const groups = progressIdGroups(uuids);
    expect(groups.flat()).toEqual(uuids);
    for (const g of groups) {
      expect(g.length).toBeLessThanOrEqual(50);
      expect(instancesProgressTopic(g).length).toBeLessThanOrEqual(1900);
    }
    expect(groups.length).toBe(3);
    expect(progressIdGroups(['a', 'b'])).toEqual([['a', 'b']]);
    expect(progressIdGroups([])).toEqual([]);
    // an id longer than a topic still gets its own group (the server answers or refuses it)
    expect(progressIdGroups(['x'.repeat(3000), 'y'])).toEqual([['x'.repeat(3000)], ['y']]);
  });
});
