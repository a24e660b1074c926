/**
 * Monaco, bundled locally (never from a CDN: operators' networks are often closed) and only in
 * lazy chunks. The lean editor API plus the JSON language (with the workflow JSON Schema) and YAML
 * (monaco-yaml, same schema). Workers come from `?worker` imports.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import * as monacoJson from 'monaco-editor/esm/vs/language/json/monaco.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/esm/vs/language/json/json.worker.js?worker';
import type * as MonacoTypes from 'monaco-editor';
import { loader } from '@monaco-editor/react';
import { configureMonacoYaml } from 'monaco-yaml';
import { WORKFLOW_SCHEMA_URI, workflowSchema } from '../schema';
import YamlWorker from './yaml.worker.ts?worker';

type WorkerFactory = (moduleId: string, label: string) => Worker;
type Environment = { getWorker?: WorkerFactory };
const scope = globalThis as unknown as { MonacoEnvironment?: Environment };

/**
 * Registers our workers; labels we do not serve go to an environment set up before us (another
 * page's editor), so pages sharing Monaco do not undo each other. Safe to call again.
 */
export function installMonacoEnvironment() {
  const previous = scope.MonacoEnvironment;
  if ((previous?.getWorker as { workflows?: true } | undefined)?.workflows) return;
  const getWorker: WorkerFactory & { workflows?: true } = (moduleId, label) => {
    if (label === 'json') return new JsonWorker();
    if (label === 'yaml') return new YamlWorker();
    if (label === 'editorWorkerService') return new EditorWorker();
    return previous?.getWorker?.(moduleId, label) ?? new EditorWorker();
  };
  getWorker.workflows = true;
  scope.MonacoEnvironment = { ...previous, getWorker };
}

/** Model file names that get the workflow schema. */
export const WORKFLOW_JSON_SUFFIX = '.workflow.json';
export const WORKFLOW_YAML_SUFFIX = '.workflow.yaml';

installMonacoEnvironment();

/**
 * Monaco 0.55 takes `createWebWorker({ worker })`; monaco-yaml 5 (through monaco-worker-manager)
 * still passes `{ moduleId, label, createData }`. Bridge the old form: create the worker from the
 * environment and send what its bootstrap expects first — a start message, then the create data
 * (monaco-editor/esm/vs/common/initialize.js) — before Monaco's RPC begins.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the host functions' types are Monaco's, unknown here
type LegacyWorkerOptions = { moduleId?: string; label?: string; createData?: unknown; host?: Record<string, Function>; keepIdleModels?: boolean };
const createWebWorker = monaco.editor.createWebWorker;
monaco.editor.createWebWorker = ((opts: LegacyWorkerOptions & { worker?: Worker }) => {
  if (opts.worker) return createWebWorker(opts as never);
  const worker = scope.MonacoEnvironment!.getWorker!(opts.moduleId ?? '', opts.label ?? opts.moduleId ?? '');
  worker.postMessage('start');
  worker.postMessage(opts.createData);
  return createWebWorker({ worker, host: opts.host, keepIdleModels: opts.keepIdleModels });
}) as typeof createWebWorker;

// The contribution's own typings export nothing: its API is `monaco.json` of the full build.
const { jsonDefaults } = monacoJson as unknown as typeof MonacoTypes.json;
// Completion and hovers come from the schema; diagnostics do not: the page marks its own problem
// list (validation.ts, shared with the builder), so Monaco's markers would count some twice.
jsonDefaults.setDiagnosticsOptions({
  validate: false,
  allowComments: false,
  trailingCommas: 'error',
  schemaValidation: 'error',
  schemaRequest: 'ignore',
  enableSchemaRequest: false,
  schemas: [{ uri: WORKFLOW_SCHEMA_URI, fileMatch: [`*${WORKFLOW_JSON_SUFFIX}`], schema: workflowSchema }],
});

configureMonacoYaml(monaco as never, {
  enableSchemaRequest: false,
  completion: true,
  hover: true,
  validate: false,
  schemas: [{ uri: WORKFLOW_SCHEMA_URI, fileMatch: [`*${WORKFLOW_YAML_SUFFIX}`], schema: workflowSchema as never }],
});

// @monaco-editor/react uses this instance instead of loading Monaco from a CDN.
loader.config({ monaco });

export { monaco };
