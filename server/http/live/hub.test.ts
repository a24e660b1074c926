import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../test/harness.js';
import { LiveHub, type LiveMessage, type TopicRead } from './hub.js';

/** A topic source the test controls: answers and counts reads per topic. */
function source() {
  const answers = new Map<string, TopicRead>();
  const reads = new Map<string, number>();
  return {
    answers,
    reads,
    read: (topic: string) => {
      reads.set(topic, (reads.get(topic) ?? 0) + 1);
      const answer = answers.get(topic);
      return answer ? Promise.resolve(answer) : Promise.reject(new Error('unreachable'));
    },
  };
}

let hub: LiveHub | undefined;
afterEach(() => hub?.close());

describe('LiveHub', () => {
  it('reads a watched topic once per round whatever the number of subscribers, and pushes changes to all', async () => {
    const src = source();
    src.answers.set('/a', { status: 200, text: '{"v":1}' });
    hub = new LiveHub(src.read, 20);
    const got: LiveMessage[][] = Array.from({ length: 50 }, () => []);
    const subs = got.map((list) => hub!.subscribe(['/a'], (m) => list.push(m)));
    await eventually(async () => got.every((list) => list.length === 1));
    expect(got[0]![0]).toMatchObject({ topic: '/a', status: 200, text: '{"v":1}' });
    const before = src.reads.get('/a')!;
    await new Promise((r) => setTimeout(r, 200));
    const rounds = src.reads.get('/a')! - before;
    // ~10 rounds in 200 ms: one read each, not one per subscriber (50 would mean no fan-out).
    expect(rounds).toBeGreaterThan(0);
    expect(rounds).toBeLessThan(25);
    expect(got.every((list) => list.length === 1)).toBe(true); // unchanged answers are not pushed
    src.answers.set('/a', { status: 200, text: '{"v":2}' });
    await eventually(async () => got.every((list) => list.length === 2));
    expect(got[49]![1]!.text).toBe('{"v":2}');
    subs.forEach((unsubscribe) => unsubscribe());
    expect(hub.watched()).toEqual([]);
  });

  it('resumes from a Last-Event-ID: only topics changed since are sent again; another boot gets them all', async () => {
    const src = source();
    src.answers.set('/a', { status: 200, text: '"a1"' });
    src.answers.set('/b', { status: 200, text: '"b1"' });
    hub = new LiveHub(src.read, 20);
    const first: LiveMessage[] = [];
    const keep = hub.subscribe(['/a', '/b'], (m) => first.push(m));
    await eventually(async () => first.length === 2);
    const lastSeen = first[first.length - 1]!.id;
    src.answers.set('/b', { status: 404, text: '{"errorCode":"NOT_FOUND"}' });
    await eventually(async () => first.length === 3);

    const resumed: LiveMessage[] = [];
    hub.subscribe(['/a', '/b'], (m) => resumed.push(m), hub.since(lastSeen))();
    expect(resumed.map((m) => [m.topic, m.status])).toEqual([['/b', 404]]);

    const fresh: LiveMessage[] = [];
    hub.subscribe(['/a', '/b'], (m) => fresh.push(m), hub.since(`00000000-${lastSeen.split('-')[1]}`))();
    expect(fresh.map((m) => m.topic).sort()).toEqual(['/a', '/b']);
    expect(hub.since('garbage')).toBe(0);
    keep();
  });

  it('keeps the last answer when a read fails, and stops reading topics nobody watches', async () => {
    const src = source();
    src.answers.set('/a', { status: 200, text: '1' });
    hub = new LiveHub(src.read, 10);
    const got: LiveMessage[] = [];
    const unsubscribe = hub.subscribe(['/a'], (m) => got.push(m));
    await eventually(async () => got.length === 1);
    src.answers.delete('/a'); // reads now fail
    await new Promise((r) => setTimeout(r, 60));
    expect(got).toHaveLength(1);
    unsubscribe();
    const reads = src.reads.get('/a')!;
    await new Promise((r) => setTimeout(r, 60));
    expect(src.reads.get('/a')).toBe(reads);
  });

  it('reads at once, on a signalled change, the topics of that instance and the lists, not the other instances; a platform event, the lists', async () => {
    const src = source();
    const mine = '/api/orchestration/v2/instances/i-1';
    const topics = [
      mine,
      `${mine}/history`,
      '/api/orchestration/v2/instances?running=true',
      '/api/console/instances/progress?id=i-1',
      '/api/orchestration/v2/instances/i-2',
      '/api/console/instances/progress?id=i-2',
    ];
    for (const t of topics) src.answers.set(t, { status: 200, text: '1' });
    // Rounds a minute apart: whatever is read after the first reads was read because of the signal.
    hub = new LiveHub(src.read, 60_000);
    const got: LiveMessage[] = [];
    hub.subscribe(topics, (m) => got.push(m));
    await eventually(async () => got.length === topics.length);
    for (const t of topics) src.answers.set(t, { status: 200, text: '2' });
    hub.changed('i-1');
    await eventually(async () => got.length === topics.length + 4);
    expect(
      got
        .slice(topics.length)
        .map((m) => m.topic)
        .sort(),
    ).toEqual([topics[0], topics[1], topics[3], topics[2]].sort());
    await new Promise((r) => setTimeout(r, 50));
    expect(src.reads.get('/api/orchestration/v2/instances/i-2')).toBe(1);
    expect(src.reads.get('/api/console/instances/progress?id=i-2')).toBe(1);
    // No instance named (a platform event): the lists only.
    src.answers.set(topics[2]!, { status: 200, text: '3' });
    src.answers.set(topics[0]!, { status: 200, text: '3' });
    hub.changed();
    await eventually(async () => got.length === topics.length + 5);
    expect(got.at(-1)).toMatchObject({ topic: topics[2], text: '3' });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(topics.length + 5);
  });

  it('reads again a topic whose change was signalled while it was being read (the read may predate it)', async () => {
    let answer = '1';
    let release: (() => void) | undefined;
    let reads = 0;
    hub = new LiveHub(async () => {
      reads++;
      const text = answer; // what the database held when the read began
      await new Promise<void>((r) => (release = r));
      return { status: 200, text };
    }, 60_000);
    const got: string[] = [];
    hub.subscribe(['/api/orchestration/v2/instances/i-1'], (m) => got.push(m.text));
    await eventually(async () => reads === 1);
    answer = '2';
    hub.changed('i-1'); // committed while the first read is under way
    release!();
    await eventually(async () => reads === 2);
    release!();
    await eventually(async () => got.join() === '1,2');
  });

  it('coalesces a burst of signalled changes into one read per topic, then at most one more', async () => {
    const src = source();
    src.answers.set('/api/console/events', { status: 200, text: '1' });
    hub = new LiveHub(src.read, 60_000);
    const got: LiveMessage[] = [];
    hub.subscribe(['/api/console/events'], (m) => got.push(m));
    await eventually(async () => got.length === 1);
    src.answers.set('/api/console/events', { status: 200, text: '2' });
    for (let i = 0; i < 200; i++) hub.changed(`i-${i}`);
    await eventually(async () => got.length === 2);
    for (let i = 0; i < 200; i++) hub.changed(`j-${i}`);
    await new Promise((r) => setTimeout(r, 100));
    expect(src.reads.get('/api/console/events')).toBeLessThanOrEqual(4);
  });
});
