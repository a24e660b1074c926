// Counting results from the JSON reporters of Vitest and Playwright, so that `npm test` can print
// one total line. Pure functions: unit-tested in summary.test.ts.

/**
 * @typedef {{ passed: number, failed: number, skipped: number, failures: string[] }} Counts
 */

/** Reads and parses a JSON report; null when the file is missing or not JSON (a crashed run). */
export async function readJsonReport(file) {
  const { readFile } = await import('node:fs/promises');
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

const firstLine = (s) =>
  String(s ?? '')
    .trim()
    .split('\n')[0]
    .slice(0, 300);

/**
 * Counts a Vitest JSON report (`--reporter=json`). Each test case counts once. A test file that
 * failed without any failed test (import error, failing hook) counts as one failure; so does a
 * non-zero exit that the report does not explain (unhandled errors), and a missing report.
 * @returns {Counts}
 */
export function countVitest(report, exitCode) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  if (!report || !Array.isArray(report.testResults)) {
    counts.failed = 1;
    counts.failures.push(`vitest produced no report (exit code ${exitCode}): it crashed or could not start`);
    return counts;
  }
  for (const file of report.testResults) {
    let failedHere = 0;
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'passed') counts.passed++;
      else if (t.status === 'failed') {
        counts.failed++;
        failedHere++;
        counts.failures.push(`${shortName(file.name)} › ${t.fullName ?? t.title}`);
      } else counts.skipped++;
    }
    if (file.status === 'failed' && failedHere === 0) {
      counts.failed++;
      counts.failures.push(`${shortName(file.name)}: ${firstLine(file.message) || 'failed to run'}`);
    }
  }
  if (exitCode !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.failures.push(`vitest exited with code ${exitCode} although every test passed (unhandled error?)`);
  }
  return counts;
}

/**
 * Counts a Playwright JSON report (`--reporter=json`). Expected → passed; unexpected and flaky →
 * failed (retries never hide a failure); skipped → skipped. Global errors (web server that would
 * not start, config errors) count one failure each; a missing report or an unexplained non-zero
 * exit counts as one failure.
 * @returns {Counts}
 */
export function countPlaywright(report, exitCode) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  if (!report || typeof report !== 'object' || !report.stats) {
    counts.failed = 1;
    counts.failures.push(`playwright produced no report (exit code ${exitCode}): it crashed or could not start`);
    return counts;
  }
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats;
  counts.passed = expected;
  counts.failed = unexpected + flaky;
  counts.skipped = skipped;
  const walk = (suite, path) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === 'unexpected' || t.status === 'flaky') {
          counts.failures.push([...path, spec.title].filter(Boolean).join(' › ') + (t.status === 'flaky' ? ' (flaky)' : ''));
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, [suite.title]);
  for (const err of report.errors ?? []) {
    counts.failed++;
    counts.failures.push(`playwright: ${firstLine(err.message ?? err.value ?? JSON.stringify(err))}`);
  }
  if (exitCode !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.failures.push(`playwright exited with code ${exitCode} although every test passed`);
  }
  return counts;
}

/**
 * Counts `go test -json` output. Each leaf test (a test or subtest without subtests) counts once;
 * a package that fails without a failing test (build error, TestMain exit) counts as one failure
 * with its first output lines, and so does a non-zero exit that nothing explains.
 * @returns {Counts}
 */
export function countGoTest(output, exitCode) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const events = String(output ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    })
    .filter(Boolean);
  const results = new Map();
  const logs = new Map();
  for (const e of events) {
    if (e.Test && ['pass', 'fail', 'skip'].includes(e.Action)) results.set(e.Test, e.Action);
    if (e.Test && e.Action === 'output' && /^\s+\S+_test\.go:\d+:/.test(e.Output ?? '')) logs.set(e.Test, logs.get(e.Test) ?? e.Output.trim());
  }
  const names = [...results.keys()];
  for (const [name, action] of results) {
    if (names.some((n) => n.startsWith(`${name}/`))) continue; // a parent: its subtests count
    if (action === 'pass') counts.passed++;
    else if (action === 'skip') counts.skipped++;
    else {
      counts.failed++;
      counts.failures.push(`${name}${logs.has(name) ? `: ${firstLine(logs.get(name))}` : ''}`);
    }
  }
  if (exitCode !== 0 && counts.failed === 0) {
    counts.failed = 1;
    const text =
      events
        .filter((e) => e.Action === 'output' || e.Action === 'build-output')
        .map((e) => e.Output)
        .join('') || String(output ?? '');
    counts.failures.push(`go test exited with code ${exitCode}: ${firstLine(text.split('\n').find((l) => l.trim() && !/^(FAIL|ok)\b/.test(l)) ?? text)}`);
  }
  return counts;
}

/**
 * Counts a JUnit XML report (schemathesis: one test case per API operation, plus one for the
 * stateful phase). A missing report or an unexplained non-zero exit counts as one failure.
 * @returns {Counts}
 */
export function countJUnit(xml, exitCode, label = 'junit') {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  if (typeof xml !== 'string' || !xml.includes('<testsuite')) {
    counts.failed = 1;
    counts.failures.push(`${label}: no report (exit code ${exitCode}): it crashed or could not start`);
    return counts;
  }
  for (const m of xml.matchAll(/<testcase\b[^>]*?name="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[2] ?? '';
    const name = m[1]
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    if (/<(failure|error)\b/.test(body)) {
      counts.failed++;
      const codes = [...body.matchAll(/<(?:failure|error)\b[^>]*message="([^"]*)"/g)].map((f) => f[1]);
      counts.failures.push(`${label}: ${name}${codes.length ? ` (${[...new Set(codes)].join(', ')})` : ''}`);
    } else if (/<skipped\b/.test(body)) counts.skipped++;
    else counts.passed++;
  }
  if (exitCode !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.failures.push(`${label}: exited with code ${exitCode} although every operation passed`);
  }
  return counts;
}

/** The last line of `npm test`. */
export function totalsLine(suites) {
  const passed = suites.reduce((n, s) => n + s.passed, 0);
  const failed = suites.reduce((n, s) => n + s.failed, 0);
  return `${passed} passed, ${failed} failed`;
}

function shortName(file) {
  const s = String(file ?? '');
  const i = s.search(/(^|\/)(server|src|scripts|e2e)\//);
  return i >= 0 ? s.slice(s[i] === '/' ? i + 1 : i) : s;
}
