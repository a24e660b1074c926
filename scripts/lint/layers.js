// The layer rules as an ESLint rule: each folder imports only the folders below it.
// Server: cli → http, remote → flows → triggers → engine → sandbox, stages, expr → store → lib
// (http may use remote's client; common/ is shared with the console). Console: routes →
// features → components, api, lib (components and api never import features or routes).
// docs/architecture.md explains the layers.
import { dirname, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** Layers, top first. Same rank: may import each other. `allow` lists extra folders a layer may use. */
const SERVER = {
  cli: -1,
  http: 0,
  remote: 1,
  flows: 2,
  triggers: 3,
  engine: 4,
  sandbox: 5,
  stages: 5,
  expr: 5,
  store: 6,
  lib: 7,
};
const CONSOLE = { routes: 0, features: 1, components: 2, api: 2, lib: 2 };

/** `server/flows/x.ts` → { area: 'server', layer: 'flows' }; root files have no layer. */
function place(file) {
  const [area, layer, ...rest] = relative(ROOT, file).split(/[\\/]/);
  if (area === 'common') return { area };
  if (area === 'server') return { area, layer: rest.length ? layer : undefined, ranks: SERVER };
  if (area === 'src') return { area, layer: rest.length ? layer : undefined, ranks: CONSOLE };
  return { area };
}

function problem(from, to) {
  if (from.area === 'common' && (to.area === 'server' || to.area === 'src')) return `common/ is shared by the server and the console: it imports neither (${to.area}/)`;
  if (from.area === 'server' && to.area === 'src') return 'the server does not import the console (src/)';
  if (from.area === 'src' && to.area === 'server') return 'the console does not import the server (server/): share code through common/';
  if (from.area !== to.area || !from.ranks || from.layer === undefined || to.layer === undefined) return undefined;
  const a = from.ranks[from.layer];
  const b = from.ranks[to.layer];
  if (a === undefined || b === undefined || from.layer === to.layer) return undefined;
  if (b < a) return `${from.area}/${from.layer} is below ${from.area}/${to.layer}: it may not import it (see docs/architecture.md)`;
  return undefined;
}

export default {
  rules: {
    'no-upward-import': {
      meta: {
        type: 'problem',
        docs: { description: 'Each folder imports only the folders below it (docs/architecture.md).' },
        schema: [],
      },
      create(context) {
        const file = context.filename;
        const from = place(file);
        const check = (node, source) => {
          if (typeof source !== 'string') return;
          let target;
          if (source.startsWith('.')) target = resolve(dirname(file), source);
          else if (source.startsWith('@/')) target = resolve(ROOT, 'src', source.slice(2));
          else return;
          const message = problem(from, place(target));
          if (message) context.report({ node, message: `${message}: '${source}'` });
        };
        return {
          ImportDeclaration: (node) => check(node.source, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
          ExportAllDeclaration: (node) => check(node.source, node.source.value),
          ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
        };
      },
    },
  },
};
