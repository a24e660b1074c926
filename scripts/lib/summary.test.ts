import { describe, expect, it } from 'vitest';
import { countGoTest, countJUnit, countPlaywright, countVitest, totalsLine } from './summary.mjs';

// Shapes as written by vitest 4's and Playwright 1.65's JSON reporters (trimmed real output).
const vitestReport = {
  numTotalTests: 5,
  numPassedTests: 1,
  numFailedTests: 1,
  success: false,
  testResults: [
    {
      name: '/repo/server/math.test.ts',
      status: 'failed',
      message: '',
      assertionResults: [
        { fullName: 'math adds', title: 'adds', status: 'passed' },
        { fullName: 'math fails', title: 'fails', status: 'failed' },
        { fullName: 'math skipped', title: 'skipped', status: 'skipped' },
        { fullName: 'math todo', title: 'todo', status: 'todo' },
      ],
    },
    {
      name: '/repo/server/import.test.ts',
      status: 'failed',
      message: "Cannot find module './does-not-exist.js' imported from /repo/server/import.test.ts",
      assertionResults: [],
    },
    {
      name: '/repo/server/hook.test.ts',
      status: 'failed',
      message: 'hook boom\n    at stack',
      assertionResults: [{ fullName: 'x', title: 'x', status: 'skipped' }],
    },
    {
      name: '/repo/src/ok.test.tsx',
      status: 'passed',
      message: '',
      assertionResults: [{ fullName: 'renders', title: 'renders', status: 'passed' }],
    },
  ],
};

describe('countVitest', () => {
  it('counts each test case, and a file that failed without a failing test as one failure', () => {
    const c = countVitest(vitestReport, 1);
    expect(c).toMatchObject({ passed: 2, failed: 3, skipped: 3 });
    expect(c.failures).toEqual([
      'server/math.test.ts › math fails',
      "server/import.test.ts: Cannot find module './does-not-exist.js' imported from /repo/server/import.test.ts",
      'server/hook.test.ts: hook boom',
    ]);
  });

  it('counts a missing or unreadable report as one failure (vitest crashed)', () => {
    expect(countVitest(null, 1)).toMatchObject({ passed: 0, failed: 1 });
    expect(countVitest({ nonsense: true }, 0)).toMatchObject({ passed: 0, failed: 1 });
  });

  it('counts a non-zero exit with an all-green report as one failure (unhandled error)', () => {
    const green = { testResults: [vitestReport.testResults[3]] };
    expect(countVitest(green, 0)).toMatchObject({ passed: 1, failed: 0, failures: [] });
    expect(countVitest(green, 1)).toMatchObject({ passed: 1, failed: 1 });
  });

  it('accepts an empty run (no test files yet)', () => {
    expect(countVitest({ testResults: [] }, 0)).toMatchObject({ passed: 0, failed: 0, skipped: 0 });
  });
});

const playwrightReport = {
  stats: { startTime: '2026-01-01T00:00:00.000Z', duration: 606, expected: 1, skipped: 1, unexpected: 1, flaky: 0 },
  errors: [],
  suites: [
    {
      title: 'smoke.spec.ts',
      specs: [],
      suites: [
        {
          title: 'group',
          specs: [
            { title: 'passes', tests: [{ status: 'expected' }] },
            { title: 'fails', tests: [{ status: 'unexpected' }] },
            { title: 'skipped', tests: [{ status: 'skipped' }] },
          ],
        },
      ],
    },
  ],
};

describe('countPlaywright', () => {
  it('counts expected as passed, unexpected as failed, and names the failures', () => {
    expect(countPlaywright(playwrightReport, 1)).toEqual({
      passed: 1,
      failed: 1,
      skipped: 1,
      failures: ['smoke.spec.ts › group › fails'],
    });
  });

  it('never lets a flaky test pass', () => {
    const flaky = {
      ...playwrightReport,
      stats: { ...playwrightReport.stats, expected: 0, unexpected: 0, flaky: 1, skipped: 0 },
      suites: [{ title: 'a.spec.ts', specs: [{ title: 'retried', tests: [{ status: 'flaky' }] }] }],
    };
    expect(countPlaywright(flaky, 0)).toMatchObject({ passed: 0, failed: 1, failures: ['a.spec.ts › retried (flaky)'] });
  });

  it('counts global errors (a web server that would not start) as failures', () => {
    const report = {
      stats: { expected: 0, skipped: 0, unexpected: 0, flaky: 0 },
      errors: [{ message: 'Error: Process from config.webServer was not able to start. Exit code: 3' }],
      suites: [],
    };
    expect(countPlaywright(report, 1)).toMatchObject({
      passed: 0,
      failed: 1,
      failures: ['playwright: Error: Process from config.webServer was not able to start. Exit code: 3'],
    });
  });

  it('counts a missing report or an unexplained non-zero exit as one failure', () => {
    expect(countPlaywright(null, 1)).toMatchObject({ passed: 0, failed: 1 });
    const green = { stats: { expected: 2, skipped: 0, unexpected: 0, flaky: 0 }, errors: [], suites: [] };
    expect(countPlaywright(green, 0)).toMatchObject({ passed: 2, failed: 0 });
    expect(countPlaywright(green, 1)).toMatchObject({ passed: 2, failed: 1 });
  });
});

describe('countGoTest', () => {
  const line = (o: object) => JSON.stringify({ Package: 'p', ...o });
  it('counts leaf tests, not their parents, and names failures with their message', () => {
    const out = [
      line({ Action: 'run', Test: 'TestV1' }),
      line({ Action: 'output', Test: 'TestV1/GetInstanceHistory', Output: '        orchestration_test.go:93: SDK error: could not unmarshal\n' }),
      line({ Action: 'pass', Test: 'TestV1/CreateWorkflow' }),
      line({ Action: 'fail', Test: 'TestV1/GetInstanceHistory' }),
      line({ Action: 'skip', Test: 'TestV1/Other' }),
      line({ Action: 'fail', Test: 'TestV1' }),
      line({ Action: 'pass', Test: 'TestAlone' }),
      line({ Action: 'fail' }),
    ].join('\n');
    expect(countGoTest(out, 1)).toEqual({
      passed: 2,
      failed: 1,
      skipped: 1,
      failures: ['TestV1/GetInstanceHistory: orchestration_test.go:93: SDK error: could not unmarshal'],
    });
  });
  it('counts a build failure or an unexplained exit as one failure', () => {
    const out = [line({ Action: 'build-output', Output: '# p\n' }), line({ Action: 'build-output', Output: './x_test.go:3:1: undefined: y\n' })].join('\n');
    expect(countGoTest(out, 1)).toMatchObject({ passed: 0, failed: 1, failures: ['go test exited with code 1: # p'] });
    expect(countGoTest('go: cannot find main module', 1)).toMatchObject({ failed: 1 });
  });
});

describe('countJUnit', () => {
  const xml = `<testsuites><testsuite name="schemathesis">
    <testcase name="GET /a" time="1"></testcase>
    <testcase name="POST /b" time="1"><failure type="failure" message="ST201">x</failure><failure type="failure" message="ST201">y</failure></testcase>
    <testcase name="Stateful tests" time="1"/>
  </testsuite></testsuites>`;
  it('counts each operation, failures with their check codes', () => {
    expect(countJUnit(xml, 1, 'flows')).toEqual({ passed: 2, failed: 1, skipped: 0, failures: ['flows: POST /b (ST201)'] });
  });
  it('counts a missing report or an unexplained exit as one failure', () => {
    expect(countJUnit(null, 2, 'flows')).toMatchObject({ failed: 1 });
    expect(countJUnit('<testsuite></testsuite>', 1, 'flows')).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe('totalsLine', () => {
  it('sums every suite into the one line CI reads', () => {
    expect(
      totalsLine([
        { passed: 1, failed: 0 },
        { passed: 40, failed: 2 },
        { passed: 0, failed: 0 },
      ]),
    ).toBe('41 passed, 2 failed');
    expect(totalsLine([])).toBe('0 passed, 0 failed');
  });
});
