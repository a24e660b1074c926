export const SCHEMATHESIS_VERSION: string;
export const SCHEMATHESIS_EXCLUDED_CHECKS: string[];
export function startCompatServer(opts?: { env?: NodeJS.ProcessEnv }): Promise<{ url: string; probe: string; stop(): Promise<void> }>;
export function ensureGo(): Promise<{ ok: boolean; go?: string; seconds?: number; installed?: boolean; message?: string }>;
export function goTest(go: string, dir: string, env: Record<string, string>): Promise<{ code: number; signal: NodeJS.Signals | null; out: string }>;
export function ensureSchemathesis(): Promise<{ ok: boolean; st?: string; seconds?: number; installed?: boolean; message?: string }>;
export function schemathesis(
  st: string,
  opts: { spec: string; url: string; probe: string; junit: string; maxExamples: number; seed?: string | number; phases?: string },
): Promise<{ code: number; signal: NodeJS.Signals | null; out: string }>;
