#!/usr/bin/env node
// `npm run bench`: the performance figures of the engine (and, when built, the console), one
// line each, medians of several runs; writes bench/results.json. See scripts/bench/run.ts for the
// knobs (BENCH_RUNS, BENCH_QUICK=1, BENCH_ONLY=…).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'bench', 'run.ts')], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
