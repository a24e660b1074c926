import { fileURLToPath } from 'node:url';
import { defineConfig, type ProxyOptions } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { tanstackRouter } from '@tanstack/router-plugin/vite';
import { precompress } from './scripts/lib/precompress.mjs';

const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? 3001}`;

/**
 * The API server refuses foreign Hosts and cross-origin writes (DNS rebinding, CSRF). Behind the
 * dev proxy, a page served by Vite itself is same-origin: present its writes with the API's own
 * origin. Any other Origin (another site) is forwarded unchanged, so the API still refuses it.
 */
const sameOriginForApi: ProxyOptions['configure'] = (proxy) => {
  proxy.on('proxyReq', (proxyReq, req) => {
    const origin = req.headers.origin;
    if (origin && req.headers.host && origin === `http://${req.headers.host}`) proxyReq.setHeader('origin', apiTarget);
  });
};

/** Routes whose loader is in the initial chunk (see `splitBehavior` below). */
const EAGER_LOADERS = new Set<string>(['/workflows/', '/instances/']);

export default defineConfig({
  plugins: [
    // The router plugin must run before the React plugin.
    tanstackRouter({
      target: 'react',
      autoCodeSplitting: true,
      codeSplittingOptions: {
        // A route's loader stays in the route tree only where a first visit is measured and its
        // data is wanted at once (Workflows, Instances). Elsewhere it loads with its own small
        // chunk, so the first load of every page does not carry the other pages' API modules.
        splitBehavior: ({ routeId }) =>
          EAGER_LOADERS.has(routeId) ? undefined : [['loader'], ['component'], ['pendingComponent'], ['errorComponent'], ['notFoundComponent']],
      },
      routesDirectory: 'src/routes',
      generatedRouteTree: 'src/routeTree.gen.ts',
    }),
    react(),
    tailwindcss(),
    // `.br` and `.gz` of every built file, served by server/http/static.ts.
    precompress(),
  ],
  // `@/x` is `src/x` (src/tsconfig.json has the same path for the type checker).
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    sourcemap: false,
    // No modulepreload polyfill in the entry: a browser without `<link rel="modulepreload">` (Safari
    // before 17) only fetches the preloaded chunks when the entry imports them.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Everything the entry imports statically is loaded on every first visit anyway: one
        // chunk instead of the entry and ~15 small modulepreloads (each a request with its own
        // headers on the wire, and a smaller brotli window). Lazy routes and Monaco stay lazy.
        codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }], experimentalInlineCommonChunks: { maxSize: 8192 } },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true, configure: sameOriginForApi },
      '/_healthcheck': { target: apiTarget, changeOrigin: true },
    },
  },
});
