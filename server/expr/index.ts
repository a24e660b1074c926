// Trigger expression language of Formance Flows (filters and vars):
// an expr-lang (https://expr-lang.org) compatible parser and evaluator. No eval / new Function.
//
//   const program = compile('event.type == "PAY-IN" && event.status == "SUCCEEDED"'); // ExprSyntaxError
//   const match = (await evaluate(program, { event: payload })) === true;             // ExprRuntimeError
//   const value = await evaluateVar(compile('event.id'), { event: payload }, { link }); // a string, as upstream writes it

export { compile, MAX_SOURCE_LENGTH, MAX_TREE_DEPTH, type Program } from './compile.js';
export { MAX_NESTING } from './parser.js';
export { ExprRuntimeError, ExprSyntaxError, type Position } from './errors.js';
export { DEFAULT_LIMITS, evaluate, evaluateSync, evaluateVar, type Env, type EvaluateOptions, type LinkResolver } from './evaluate.js';
export { formatVarValue } from './format.js';
export { findLinkURI, LinkLookupError } from './link.js';
export { MAX_REGEX_LENGTH } from './regex.js';
