#!/usr/bin/env node
// `npm run dev`: the API server under `tsx watch` (restarts on server changes) on API_PORT
// (default 3001) plus the Vite dev server with HMR, whose proxy (vite.config.ts) forwards /api to
// API_PORT. Ctrl-C stops both; when either exits, the other is stopped too.
import { binPath, start } from './lib/proc.mjs';

const apiPort = process.env.API_PORT || '3001';
const env = { ...process.env, API_PORT: apiPort };

// Through Vite's proxy, requests reach the API with the dev server's Host/Origin (e.g.
// localhost:5173, another port when that one is taken): allow the loopback names on any port.
const allowedHosts = [process.env.ALLOWED_HOSTS, 'localhost', '127.0.0.1'].filter(Boolean).join(',');

const api = start(process.execPath, [binPath('tsx'), 'watch', '--clear-screen=false', 'server/main.ts'], {
  env: { ...env, PORT: apiPort, ALLOWED_HOSTS: allowedHosts },
});
const vite = start(process.execPath, [binPath('vite')], { env });
console.log(`dev: API on http://127.0.0.1:${apiPort} (tsx watch), UI from Vite (URL below), /api proxied to the API`);

let exiting = false;
const stopAll = (signal = 'SIGTERM') => {
  for (const child of [api, vite]) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    exiting = true;
    stopAll(signal);
  });
}
let remaining = 2;
let firstCode = 0;
for (const [name, child] of [
  ['api', api],
  ['vite', vite],
]) {
  child.on('exit', (code, signal) => {
    if (!exiting) {
      console.error(`dev: ${name} exited (${code ?? signal}); stopping the other process`);
      firstCode = code || 1;
      exiting = true;
      stopAll();
    }
    if (--remaining === 0) process.exit(firstCode);
  });
}
