import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { childStore, startChildServer, type ChildServer, type ChildStore } from '../test/child-server.js';
import { envNumber, mib, ms, percentile, prng, replyJson, seedFromEnv, send, sleep, type RawReply } from './support.js';

/**
 * Load: 50 concurrent clients against one server process (PGlite data dir, or PostgreSQL with
 * TEST_DATABASE_URL) for LOAD_SECONDS (6; `npm run soak`: 30), each looping over a mix of
 * list / read / run / event / abort. Every answer must be the expected one (0 errors); p50/p99
 * per operation and the server's RSS (sampled from /proc) are printed; RSS stays under
 * LOAD_MAX_RSS_MB. In the second half slow clients join — one reads a large response a few
 * bytes at a time, one trickles its request headers, one announces a body it never sends —
 * and the others' latency must stay in the same range as before.
 */

const SEED = seedFromEnv();
const CLIENTS = envNumber('LOAD_CLIENTS', 50);
const SECONDS = envNumber('LOAD_SECONDS', 6);
const MAX_RSS_MB = envNumber('LOAD_MAX_RSS_MB', 1536);
const v2 = '/api/orchestration/v2';

let store: ChildStore | undefined;
let server: ChildServer | undefined;
afterAll(async () => {
  await server?.kill9();
  await store?.cleanup();
});

/** Resident memory of a process in bytes (Linux /proc), or undefined elsewhere. */
function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

type Op = 'list' | 'read' | 'history' | 'run' | 'event' | 'abort';
interface Sample {
  op: Op;
  ms: number;
  at: number;
}

describe('load: 50 concurrent clients', () => {
  it(
    'answers every request correctly, with bounded latency and memory; slow clients stall nobody',
    async () => {
      store = await childStore('load');
      server = await startChildServer(store);
      const url = server.url;
      const pid = server.child.pid!;
      const json = (method: string, path: string, body?: unknown) =>
        send(url, {
          method,
          path,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });

      const wfReply = await json('POST', `${v2}/workflows`, {
        name: 'load',
        stages: [
          {
            send: {
              source: { account: { id: 'world', ledger: 'load' } },
              destination: { account: { id: 'clients:${c}', ledger: 'load' } },
              amount: { asset: 'USD/2', amount: 1 },
            },
          },
          { delay: { duration: '${d}' } },
          { wait_event: { event: 'go' } },
          { noop: {} },
        ],
      });
      expect(wfReply.status).toBe(201);
      const workflowId = replyJson(wfReply).data.id as string;
      // some history to list and read from the start
      const seedIds: string[] = [];
      for (let i = 0; i < 20; i++) seedIds.push(replyJson(await json('POST', `${v2}/workflows/${workflowId}/instances`, { c: 'seed', d: '1ms' })).data.id);

      // warm-up (JIT, caches, first writes): not measured
      for (let i = 0; i < 5; i++) {
        await json('GET', `${v2}/instances?pageSize=15`);
        await json('GET', `${v2}/instances/${seedIds[i]}`);
        await json('GET', `${v2}/instances/${seedIds[i]}/history`);
      }

      const samples: Sample[] = [];
      const errors: string[] = [];
      const rss: number[] = [];
      const t0 = performance.now();
      const end = t0 + SECONDS * 1000;
      // slow clients join at 40 % and stay to the end
      const half = t0 + SECONDS * 400;
      const sampler = setInterval(() => {
        const r = rssOf(pid);
        if (r) rss.push(r);
      }, 200);

      const expectStatus = (op: Op, reply: RawReply | Error, ok: number[], what: string) => {
        if (reply instanceof Error) errors.push(`${op} ${what}: ${reply.message}`);
        else if (!ok.includes(reply.status)) errors.push(`${op} ${what}: ${reply.status} ${reply.body.toString('utf8').slice(0, 200)}`);
        else return true;
        return false;
      };

      const client = async (c: number) => {
        const r = prng(SEED + c);
        const mine: { id: string; evented: boolean }[] = [];
        const timed = async (op: Op, fn: () => Promise<RawReply>) => {
          const start = performance.now();
          const reply = await fn().catch((err: Error) => err);
          if (!(reply instanceof Error)) samples.push({ op, ms: performance.now() - start, at: start });
          return reply;
        };
        while (performance.now() < end) {
          const roll = r.next();
          const known = [...seedIds, ...mine.map((m) => m.id)];
          if (roll < 0.25) {
            const path = r.pick([
              `${v2}/instances?pageSize=15`,
              `${v2}/instances?workflowID=${workflowId}&running=true`,
              `${v2}/workflows`,
              `${v2}/triggers`,
              '/api/orchestration/workflows',
              '/api/ledger/v2/load/accounts?pageSize=15',
            ]);
            expectStatus('list', await timed('list', () => json('GET', path)), [200], path);
          } else if (roll < 0.5) {
            const id = r.pick(known);
            expectStatus('read', await timed('read', () => json('GET', `${v2}/instances/${id}`)), [200], id);
          } else if (roll < 0.6) {
            // a stage's history exists once the stage started (404 before): the seed runs have
            const path = r.chance(0.5) ? `${v2}/instances/${r.pick(known)}/history` : `/api/orchestration/instances/${r.pick(seedIds)}/stages/0/history`;
            expectStatus('history', await timed('history', () => json('GET', path)), [200], path);
          } else if (roll < 0.78 || mine.length === 0) {
            const reply = await timed('run', () => json('POST', `${v2}/workflows/${workflowId}/instances`, { c: String(c), d: `${r.int(1, 300)}ms` }));
            if (expectStatus('run', reply, [201], '') && !(reply instanceof Error)) mine.push({ id: replyJson(reply).data.id, evented: false });
          } else if (roll < 0.92) {
            // release one of ours that waits for its event
            const candidate = mine.find((m) => !m.evented);
            if (!candidate) continue;
            const got = await json('GET', `${v2}/instances/${candidate.id}`).catch((err: Error) => err);
            if (!expectStatus('read', got, [200], candidate.id) || got instanceof Error) continue;
            const inst = replyJson(got).data;
            if (inst.terminated || inst.status?.length !== 3) continue;
            candidate.evented = true;
            expectStatus('event', await timed('event', () => json('POST', `${v2}/instances/${candidate.id}/events`, { name: 'go' })), [204], candidate.id);
          } else {
            // abort one of ours that has not been released (running: in its delay or wait)
            const idx = mine.findIndex((m) => !m.evented);
            if (idx < 0) continue;
            const [victim] = mine.splice(idx, 1);
            expectStatus('abort', await timed('abort', () => json('PUT', `${v2}/instances/${victim.id}/abort`)), [204], victim.id);
          }
        }
      };

      // --- Slow clients, in the second half
      const holdMs = SECONDS * 600;
      const slow: { name: string; bytes: number; status?: string }[] = [];
      const slowClients = (async () => {
        await sleep(Math.max(0, half - performance.now()));
        const { hostname, port } = new URL(url);
        const open = () =>
          new Promise<Socket>((resolve, reject) => {
            const s = connect(Number(port), hostname, () => resolve(s));
            s.on('error', reject);
          });
        const until = performance.now() + holdMs;
        // 1. reads a large response (every instance, v1) a few bytes at a time
        const reader = (async () => {
          const s = await open();
          const info = { name: 'slow reader (v1 list of every instance)', bytes: 0, status: undefined as string | undefined };
          slow.push(info);
          s.write(`GET /api/orchestration/instances HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
          s.pause();
          const take = (chunk: Buffer | null) => {
            if (!chunk) return;
            info.bytes += chunk.length;
            info.status ??= /^HTTP\/1\.1 (\d+)/.exec(chunk.toString('latin1'))?.[1];
          };
          while (performance.now() < until && !s.destroyed) {
            take(s.read(16));
            await sleep(50);
          }
          // then read the rest at full speed: the answer must have been there all along
          const deadline = performance.now() + 60_000;
          while (!info.status && performance.now() < deadline && !s.destroyed) {
            take(s.read());
            await sleep(20);
          }
          s.destroy();
        })();
        // 2. trickles its request headers, a byte at a time
        const trickler = (async () => {
          const s = await open();
          const info = { name: 'slow headers (a byte every 100 ms)', bytes: 0 };
          slow.push(info);
          const text = `GET ${v2}/workflows HTTP/1.1\r\nHost: ${hostname}:${port}\r\nX-Padding: ${'x'.repeat(400)}\r\n`;
          for (let i = 0; i < text.length && performance.now() < until && !s.destroyed; i++) {
            s.write(text[i]);
            info.bytes++;
            await sleep(100);
          }
          s.destroy();
        })();
        // 3. announces a body and sends almost none of it
        const staller = (async () => {
          const s = await open();
          const info = { name: 'stalled body (10 of 100000 bytes)', bytes: 0 };
          slow.push(info);
          s.write(`POST ${v2}/workflows HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"name":"s`);
          info.bytes = 10;
          while (performance.now() < until && !s.destroyed) await sleep(100);
          s.destroy();
        })();
        await Promise.all([reader, trickler, staller]);
      })();

      await Promise.all([...Array.from({ length: CLIENTS }, (_, c) => client(c)), slowClients]);
      clearInterval(sampler);
      const elapsed = (performance.now() - t0) / 1000;

      // --- Figures
      const lat = (xs: Sample[]) => xs.map((x) => x.ms);
      const ops: Op[] = ['list', 'read', 'history', 'run', 'event', 'abort'];
      const lines = ops.map((op) => {
        const xs = lat(samples.filter((x) => x.op === op));
        return `${op} ${xs.length} (p50 ${ms(percentile(xs, 50))}, p99 ${ms(percentile(xs, 99))})`;
      });
      const before = lat(samples.filter((x) => x.at < half));
      const during = lat(samples.filter((x) => x.at >= half + 200));
      const rateBefore = before.length / ((half - t0) / 1000);
      const rateDuring = during.length / ((end - half - 200) / 1000);
      const all = lat(samples);
      // requests completed per second, and the slowest of each second: a stall shows as a gap
      const buckets = Array.from({ length: Math.ceil(elapsed) }, () => ({ n: 0, max: 0 }));
      for (const x of samples) {
        const b = buckets[Math.min(buckets.length - 1, Math.floor((x.at + x.ms - t0) / 1000))];
        b.n++;
        b.max = Math.max(b.max, x.ms);
      }
      const peak = Math.max(...rss);
      const firstRss = rss[0] ?? NaN;
      console.log(
        [
          `load (${store.kind}, seed ${SEED}): ${CLIENTS} clients for ${elapsed.toFixed(1)} s — ${samples.length} requests (${(samples.length / elapsed).toFixed(0)}/s), ${errors.length} errors`,
          `  all: p50 ${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))}, max ${ms(Math.max(...all))}`,
          `  ${lines.join('; ')}`,
          `  before slow clients: ${rateBefore.toFixed(0)}/s, p50 ${ms(percentile(before, 50))}, p99 ${ms(percentile(before, 99))}; with them: ${rateDuring.toFixed(0)}/s, p50 ${ms(percentile(during, 50))}, p99 ${ms(percentile(during, 99))}, max ${ms(Math.max(...during))}`,
          `  slow clients held ${ms(holdMs)}: ${slow.map((x) => `${x.name}: ${x.bytes} bytes`).join('; ')}`,
          `  server RSS: ${mib(firstRss)} at start, peak ${mib(peak)}, ${mib(rss[rss.length - 1] ?? NaN)} at the end (${rss.length} samples)`,
          `  completed per second: ${buckets.map((b) => b.n).join(' ')}`,
        ].join('\n'),
      );

      expect(errors.slice(0, 10), `${errors.length} errors`).toEqual([]);
      for (const op of ['list', 'read', 'run'] as const)
        expect(
          samples.some((x) => x.op === op),
          op,
        ).toBe(true);
      // slow clients stall nobody: the others are served at a comparable rate and latency
      // (relative bounds: both phases share whatever else the machine is doing)
      expect(rateDuring, 'requests/s with slow clients vs before').toBeGreaterThan(0.25 * rateBefore);
      expect(percentile(during, 99)).toBeLessThan(Math.max(5 * percentile(before, 99), percentile(before, 99) + 2000));
      const reader = slow.find((s) => s.name.startsWith('slow reader'))!;
      expect(reader.status, 'the slow reader was answered').toBe('200');
      if (rss.length) {
        expect(peak / 1024 / 1024, 'server RSS (MiB)').toBeLessThan(MAX_RSS_MB);
        // no growth under steady load: the last quarter's samples vs the first quarter's
        const quarter = Math.max(1, Math.floor(rss.length / 4));
        const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        expect(avg(rss.slice(-quarter)), 'server RSS grew under load').toBeLessThan(2 * avg(rss.slice(0, quarter)));
      }

      // the server is still fine
      expect((await send(url, { method: 'GET', path: '/_healthcheck' })).status).toBe(200);
    },
    envNumber('RELIABILITY_TIMEOUT_MS', 300_000),
  );
});
