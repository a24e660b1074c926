import { setFlagsFromString } from 'node:v8';

/**
 * Imported (for this effect) before any PGlite is made. V8 compiles PGlite's PostgreSQL (9 MB of
 * WebAssembly) function by function on first call with its baseline compiler, then re-compiles a
 * function with its optimizing compiler once it has run for a budget. Starting PostgreSQL and
 * reading its catalogs at start spends that budget in hundreds of functions that hardly run again:
 * their optimization cost ~0.5 s of CPU on background threads and left ~25-50 MB of compiler
 * memory and code in an idle server. Ten times the budget (V8's default: 1,800,000) leaves start
 * in the baseline code; a function the engine keeps calling still reaches it within seconds (the
 * server CPU per stage execution did not move, README "Performance"). The flag is read when a
 * WebAssembly instance is made, so setting it while running applies to PGlite.
 */
export const WASM_TIERING_BUDGET = 18_000_000;

setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
