// The console's figures: bundle sizes of the production build, Lighthouse scores of the Workflows
// and Instances pages, and the instances list over a database of 10,000 instances (DOM rows,
// scroll frames, scripting time of a filter change), in Debian's Chromium, headless.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_ARGS } from '../lib/chromium.mjs';
import { ROOT } from './lib.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless=new', ...CHROMIUM_ARGS];

// ---------------------------------------------------------------- bundle

export interface BundleFigures {
  initialGzip: number;
  budget: number;
  initialFiles: { file: string; gzip: number }[];
  forbidden: string[];
  /** the heavy lazy chunks, by what they carry */
  lazy: { name: string; file: string; gzip: number }[];
}

/** Initial JS with the project's own rules (scripts/bundle-size.mjs), and the heavy lazy chunks. */
export async function bundleFigures(distDir = join(ROOT, 'dist/client')): Promise<BundleFigures> {
  const { measureInitialBundle } = (await import(join(ROOT, 'scripts/bundle-size.mjs'))) as {
    measureInitialBundle(dir: string): { files: { file: string; gzip: number }[]; total: number; budget: number; forbidden: string[] };
  };
  const initial = measureInitialBundle(distDir);
  const initialSet = new Set(initial.files.map((f) => f.file));
  const assets = join(distDir, 'assets');
  const kinds: { name: string; pattern: RegExp }[] = [
    { name: 'Monaco editor', pattern: /MonacoEnvironment|vs\/editor\/|monaco-editor/ },
    { name: 'Monaco workers', pattern: /^$/ }, // by file name below
    { name: 'graph (@xyflow/react)', pattern: /react-flow__|xyflow/ },
    { name: 'YAML', pattern: /Implicit keys need to be on a single line|YAMLParseError/ },
  ];
  const lazy: BundleFigures['lazy'] = [];
  for (const file of readdirSync(assets).filter((f) => f.endsWith('.js'))) {
    const rel = `assets/${file}`;
    if (initialSet.has(rel)) continue;
    const code = readFileSync(join(assets, file));
    const text = code.toString('utf8');
    const gzip = gzipSync(code, { level: 9 }).length;
    const name = /\.worker-/.test(file) ? 'Monaco workers' : kinds.find((k) => k.pattern.source !== '^$' && k.pattern.test(text))?.name;
    if (name) lazy.push({ name, file: rel, gzip });
  }
  lazy.sort((a, b) => a.name.localeCompare(b.name) || b.gzip - a.gzip);
  return { initialGzip: initial.total, budget: initial.budget, initialFiles: initial.files, forbidden: initial.forbidden, lazy };
}

/** True when dist/client is missing or older than its inputs (the rule `npm start` uses). */
export async function clientStale(): Promise<boolean> {
  const { clientIsStale } = (await import(join(ROOT, 'scripts/lib/build.mjs'))) as { clientIsStale(root?: string): boolean };
  return clientIsStale(ROOT);
}

export async function buildClient(): Promise<number> {
  const { buildClient } = (await import(join(ROOT, 'scripts/lib/build.mjs'))) as { buildClient(): Promise<number> };
  return buildClient();
}

// ---------------------------------------------------------------- Lighthouse

export interface LighthouseScores {
  performance: number;
  accessibility: number;
  /** failing accessibility audits (ids), when any */
  a11yFailures: string[];
  metrics: Record<string, number>;
}

/**
 * Lighthouse 12, performance + accessibility. `desktop`: the desktop preset (an operators'
 * console); `mobile`: Lighthouse's default config, a mid-range phone on a simulated slow 4G
 * network (150 ms RTT, 1.6 Mbit/s down) with a 4× slower CPU, where bytes on the wire count.
 */
export async function lighthouse(url: string, preset: 'desktop' | 'mobile' = 'desktop'): Promise<LighthouseScores> {
  const { default: run } = await import('lighthouse');
  const desktopConfig = preset === 'desktop' ? (await import('lighthouse/core/config/desktop-config.js')).default : undefined;
  const chromeLauncher = await import('chrome-launcher');
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS, logLevel: 'silent' });
  try {
    const result = await run(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] }, desktopConfig);
    if (!result) throw new Error(`lighthouse returned nothing for ${url}`);
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const audit = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
    const a11yFailures = (lhr.categories.accessibility?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && lhr.audits[ref.id]?.score === 0)
      .map((ref) => ref.id);
    return {
      performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
      a11yFailures,
      metrics: {
        fcpMs: audit('first-contentful-paint'),
        lcpMs: audit('largest-contentful-paint'),
        tbtMs: audit('total-blocking-time'),
        cls: audit('cumulative-layout-shift'),
      },
    };
  } finally {
    chrome.kill();
  }
}

// ---------------------------------------------------------------- bytes on the wire

export interface WireFigures {
  /** every response of the load, headers included (CDP `encodedDataLength`) */
  bytes: number;
  requests: number;
  /** of which the SPA's own files (HTML, JS, CSS, fonts) */
  staticBytes: number;
  /** of which the API's JSON */
  apiBytes: number;
  /** the same files' decoded sizes */
  decodedBytes: number;
  encodings: Record<string, number>;
  /** every response: path and bytes on the wire */
  files: { path: string; bytes: number; encoding: string }[];
}

/**
 * A first visit of `path` in a fresh Chromium profile (empty cache) until the network is idle:
 * the bytes the browser received, as Chromium's network stack counts them. With
 * `acceptEncoding: 'identity'` the browser asks for uncompressed answers (the figure before
 * compression).
 */
export async function firstLoadOnTheWire(baseUrl: string, path: string, acceptEncoding?: string): Promise<WireFigures> {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (acceptEncoding) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': acceptEncoding } });
    const responses = new Map<string, { url: string; encoding: string }>();
    const figures: WireFigures = { bytes: 0, requests: 0, staticBytes: 0, apiBytes: 0, decodedBytes: 0, encodings: {}, files: [] };
    cdp.on('Network.responseReceived', (e) => {
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      responses.set(e.requestId, { url: e.response.url, encoding: headers['content-encoding'] ?? 'identity' });
    });
    cdp.on('Network.dataReceived', (e) => {
      figures.decodedBytes += e.dataLength;
    });
    let failed = 0;
    cdp.on('Network.loadingFailed', () => failed++);
    cdp.on('Network.loadingFinished', (e) => {
      const r = responses.get(e.requestId);
      if (!r) return;
      figures.requests++;
      figures.bytes += e.encodedDataLength;
      if (new URL(r.url).pathname.startsWith('/api/')) figures.apiBytes += e.encodedDataLength;
      else figures.staticBytes += e.encodedDataLength;
      figures.encodings[r.encoding] = (figures.encodings[r.encoding] ?? 0) + 1;
      const { pathname, search } = new URL(r.url);
      figures.files.push({ path: pathname + search, bytes: e.encodedDataLength, encoding: r.encoding });
    });
    let started = 0;
    cdp.on('Network.requestWillBeSent', () => started++);
    await page.goto(baseUrl + path, { waitUntil: 'networkidle' });
    // The load is over when every request has finished and none has started for 2 s (lazy
    // routes, and the queries a page makes once its rows are shown).
    for (let seen = -1; seen !== started || figures.requests + failed < started; ) {
      seen = started;
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(2000);
    }
    figures.files.sort((a, b) => b.bytes - a.bytes);
    return figures;
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- the instances list with 10,000 rows loaded

export interface ScrollFigures {
  frames: number;
  p95FrameMs: number;
  maxFrameMs: number;
  /** main-thread work per scrolled frame (CDP Performance metrics) */
  scriptMsPerFrame: number;
  layoutStyleMsPerFrame: number;
}

export interface ListFigures {
  pageSize: number;
  rowsLoaded: number;
  pagesLoaded: number;
  /** wall time from the first page shown to every row loaded, scrolling to the end each time */
  loadAllMs: number;
  domRows: number;
  jsHeapMb: number;
  /** 120 frames at 40 px per frame (a wheel or trackpad) through the middle of the list */
  steady: ScrollFigures;
  /** 60 frames from the top to the bottom: every frame shows rows never rendered before */
  jump: ScrollFigures;
  filterScriptingMs: number;
  filterWallMs: number;
}

/**
 * The instances list as a person uses it: open it with pages of 100, scroll to the end until
 * `rows` instances are loaded (each end reached fetches the next page), then scroll, then change
 * the status filter.
 */
export async function instancesList(baseUrl: string, rows = 10_000, pageSize = 100): Promise<ListFigures> {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${baseUrl}/instances?pageSize=${pageSize}&refresh=0`);
    const table = page.getByRole('table', { name: 'Instances' });
    await table.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');

    const t0 = Date.now();
    // (No named functions inside evaluate: the bench runs under tsx, whose keepNames helper does
    // not exist in the page.)
    const loaded = await table.evaluate(async (t, want) => {
      const box = t.parentElement!;
      let stalled = 0;
      let count = Number(t.getAttribute('aria-rowcount') ?? 1) - 1;
      while (count < want && stalled < 600) {
        box.scrollTop = box.scrollHeight;
        await new Promise((r) => requestAnimationFrame(r));
        const now = Number(t.getAttribute('aria-rowcount') ?? 1) - 1;
        stalled = now > count ? 0 : stalled + 1;
        count = now;
      }
      return count;
    }, rows);
    const loadAllMs = Date.now() - t0;
    if (loaded < rows) throw new Error(`the list stopped at ${loaded} of ${rows} rows`);
    await page.waitForLoadState('networkidle');
    const pager = (await page.getByRole('navigation', { name: 'Pagination' }).textContent()) ?? '';
    const pagesLoaded = Number(/\((\d+) pages\)/.exec(pager)?.[1] ?? 1);
    const domRows = await table.locator('tbody tr[aria-rowindex]').count();

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const jsHeapMb = ((await metrics()).JSHeapUsedSize ?? 0) / 1e6;

    const scroll = async (mode: 'steady' | 'jump'): Promise<ScrollFigures> => {
      const m0 = await metrics();
      const frames = await table.evaluate(async (t, mode) => {
        const box = t.parentElement!;
        const max = box.scrollHeight - box.clientHeight;
        const start = mode === 'steady' ? Math.floor(max / 2) : 0;
        box.scrollTop = start;
        await new Promise((r) => requestAnimationFrame(r));
        const steps = mode === 'steady' ? 120 : 60;
        const times: number[] = [];
        let last = performance.now();
        for (let i = 1; i <= steps; i++) {
          box.scrollTop = mode === 'steady' ? start + i * 40 : (max * i) / steps;
          await new Promise((r) => requestAnimationFrame(r));
          const now = performance.now();
          times.push(now - last);
          last = now;
        }
        return times;
      }, mode);
      const m1 = await metrics();
      const sorted = [...frames].sort((a, b) => a - b);
      const perFrame = (keys: string[]) => (keys.reduce((sum, k) => sum + (m1[k] - m0[k]), 0) * 1000) / frames.length;
      return {
        frames: frames.length,
        p95FrameMs: sorted[Math.floor(sorted.length * 0.95)],
        maxFrameMs: sorted[sorted.length - 1],
        scriptMsPerFrame: perFrame(['ScriptDuration']),
        layoutStyleMsPerFrame: perFrame(['LayoutDuration', 'RecalcStyleDuration']),
      };
    };
    const steady = await scroll('steady');
    const jump = await scroll('jump');

    // A filter change with every row loaded: scripting time (CDP Performance metrics) until the
    // new first page is painted.
    const before = (await metrics()).ScriptDuration ?? 0;
    const t1 = Date.now();
    const response = page.waitForResponse((r) => r.url().includes('/api/orchestration/v2/instances') && r.url().includes('status=failed'));
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await response;
    await page.getByRole('navigation', { name: 'Pagination' }).getByText(/on this page/).waitFor();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const filterWallMs = Date.now() - t1;
    const after = (await metrics()).ScriptDuration ?? 0;
    return { pageSize, rowsLoaded: loaded, pagesLoaded, loadAllMs, domRows, jsHeapMb, steady, jump, filterScriptingMs: (after - before) * 1000, filterWallMs };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- a live instance

export interface LiveFigures {
  stages: number;
  /** per stage after the first: when the open instance page showed it, after the engine's startedAt */
  latenciesMs: number[];
}

/**
 * An instance page left open while its workflow runs `stages` delays one after another: for each
 * stage, the time from the engine recording its start (`startedAt`) to the page showing it, read
 * by a MutationObserver in the page (same machine, same clock).
 */
export async function liveStages(baseUrl: string, stages = 8, delayMs = 700): Promise<LiveFigures> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { data: { id: string } };
  };
  const workflow = await post('/api/orchestration/v2/workflows', {
    name: 'bench-live',
    stages: Array.from({ length: stages }, () => ({ delay: { duration: `${delayMs}ms` } })),
  });
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // The page is opened on the instance before its first stage ends; stage 0 may already be shown.
    const instance = await post(`/api/orchestration/v2/workflows/${workflow.data.id}/instances`, {});
    await page.goto(`${baseUrl}/instances/${instance.data.id}`);
    // The console numbers stages from 1 (test ids too); `seen` and the API's `stage` are 0-based.
    await page.getByTestId('timeline-stage-1').waitFor();
    // A string, not a function: tsx would wrap named functions in a helper the page lacks.
    await page.evaluate(`(() => {
      const seen = (window.__seen = {});
      window.__watchedFrom = Date.now();
      const check = () => {
        for (let n = 0; n < ${stages}; n++) {
          if (seen[n] !== undefined) continue;
          const state = document.querySelector('[data-testid="timeline-stage-' + (n + 1) + '"]')?.getAttribute('data-state');
          if (state && state !== 'pending') seen[n] = Date.now();
        }
      };
      check();
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    })()`);
    await page.locator(`[data-testid="timeline-stage-${stages}"]:not([data-state="pending"])`).waitFor({ timeout: stages * delayMs + 30_000 });
    const { seen, watchedFrom } = await page.evaluate(() => {
      const w = window as unknown as { __seen: Record<number, number>; __watchedFrom: number };
      return { seen: w.__seen, watchedFrom: w.__watchedFrom };
    });
    const res = await fetch(`${baseUrl}/api/orchestration/v2/instances/${instance.data.id}`);
    const { data } = (await res.json()) as { data: { status?: { stage: number; startedAt: string }[] } };
    const latenciesMs: number[] = [];
    for (let n = 1; n < stages; n++) {
      const started = data.status?.find((s) => s.stage === n)?.startedAt;
      if (!started || seen[n] === undefined) throw new Error(`stage ${n} was not seen`);
      // A stage that started before the page was watched (a slow first load) is no update.
      if (Date.parse(started) < watchedFrom) continue;
      latenciesMs.push(Math.max(0, seen[n]! - Date.parse(started)));
    }
    return { stages, latenciesMs };
  } finally {
    await browser.close();
  }
}

export function hasClientBuild(): boolean {
  return existsSync(join(ROOT, 'dist/client/index.html'));
}
