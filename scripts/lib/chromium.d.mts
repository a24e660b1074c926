export const DEFAULT_CHROMIUM: string;
export const CHROMIUM_PACKAGES: string[];
export const CHROMIUM_ARGS: string[];
export function chromiumPath(env?: Record<string, string | undefined>): string;
export function isRoot(): boolean;
export function chromiumPlan(input: { path: string; exists: boolean; root: boolean; hasAptGet: boolean }):
  | { action: 'ok' }
  | { action: 'install' }
  | { action: 'missing'; message: string };
export function ensureChromium(opts?: { env?: Record<string, string | undefined> }): Promise<{
  ok: boolean;
  path: string;
  seconds?: number;
  installed?: boolean;
  message?: string;
}>;
