import { useMutation } from '@tanstack/react-query';
import { parseJsonLossless } from '../lib/json';
import { api, data } from './client';
import { apiErrorFromResponse, isConsoleChallenge, networkError } from './errors';
import type { components } from './generated/sandbox';

type S = components['schemas'];
export type DryRunRequest = S['DryRunRequest'];
export type DryRunReport = S['DryRunReport'];
export type SimStage = S['SimStage'];
export type SimPosting = S['SimPosting'];
export type SimBalance = S['SimBalance'];
export type SimOutcome = S['SimOutcome'];
export type SimShortfall = S['SimShortfall'];
export type SimulationBasis = S['SimulationBasis'];
export type WalletRef = S['WalletRef'];
export type BacktestRequest = S['BacktestRequest'];
export type BacktestReport = S['BacktestReport'];
export type BacktestProgress = S['BacktestProgress'];
export type BacktestTotal = S['BacktestTotal'];
export type BacktestMatch = S['BacktestMatch'];

/**
 * Dry-runs a workflow (saved, or an unsaved definition's stages). Nothing is written on the
 * server, so nothing is invalidated; errors are shown where it was asked for, not as a toast.
 */
export function useDryRun() {
  return useMutation({
    mutationFn: (body: DryRunRequest) => data(api().sandbox.POST('/api/console/simulations/workflow', { body })).then((r) => r.data),
  });
}

const NDJSON = 'application/x-ndjson';

/**
 * Backtests a trigger, streaming: `onProgress` gets each progress line; aborting `signal` closes
 * the connection, which cancels the backtest on the server.
 */
export async function streamBacktest(body: BacktestRequest, opts: { signal?: AbortSignal; onProgress?: (p: BacktestProgress) => void } = {}): Promise<BacktestReport> {
  let res: Response;
  try {
    res = await fetch('/api/console/simulations/trigger', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: NDJSON },
      body: JSON.stringify(body),
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw networkError(err);
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    throw apiErrorFromResponse(res.status, res.statusText, parsed, { signInRequired: isConsoleChallenge(res.status, res.headers.get('WWW-Authenticate')) });
  }
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffered += decoder.decode(value, { stream: !done });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (!line) continue;
      const message = parseJsonLossless(line) as { progress?: BacktestProgress; result?: BacktestReport; error?: unknown };
      if (message.progress) opts.onProgress?.(message.progress);
      else if (message.result) return message.result;
      else if (message.error) throw apiErrorFromResponse(500, 'backtest failed', message.error);
    }
    if (done) throw apiErrorFromResponse(502, 'backtest interrupted', { errorCode: 'INTERNAL', errorMessage: 'the backtest ended without a result' });
  }
}
