#!/usr/bin/env node
// `npm start`: builds the SPA when it is missing or stale, always bundles the server, then runs
// it (it prints `Listening on http://…`) with the flags given after `--` (`npm start -- --port
// 8080`). Signals are forwarded; exits with the server's code.
import { constants } from 'node:os';
import { SERVER_BUNDLE, buildForStart } from './lib/build.mjs';
import { start } from './lib/proc.mjs';

const built = await buildForStart();
if (built !== 0) {
  console.error('Not starting: the build failed.');
  process.exit(built);
}

const server = start(process.execPath, ['--enable-source-maps', SERVER_BUNDLE, ...process.argv.slice(2)]);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (server.exitCode === null && server.signalCode === null) server.kill(signal);
  });
}
server.on('error', (err) => {
  console.error(`cannot start the server: ${err.message}`);
  process.exit(1);
});
server.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
