// monaco-yaml's worker, re-exported so Vite bundles it as our own worker (its documented workaround).
import 'monaco-yaml/yaml.worker.js';
