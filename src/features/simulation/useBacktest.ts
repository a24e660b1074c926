import { useCallback, useEffect, useRef, useState } from 'react';
import { streamBacktest, type BacktestProgress, type BacktestReport, type BacktestRequest } from '../../api/simulations';

export type BacktestState =
  | { status: 'idle' }
  | { status: 'running'; progress?: BacktestProgress }
  | { status: 'done'; report: BacktestReport }
  | { status: 'canceled'; progress?: BacktestProgress }
  | { status: 'error'; error: unknown };

/** A streamed backtest: progress as it goes, the report at the end; cancel closes the stream (the server stops). */
export function useBacktest() {
  const [state, setState] = useState<BacktestState>({ status: 'idle' });
  const current = useRef<AbortController | null>(null);
  const progress = useRef<BacktestProgress | undefined>(undefined);

  const cancel = useCallback(() => {
    current.current?.abort();
  }, []);
  useEffect(() => cancel, [cancel]);

  const start = useCallback((body: BacktestRequest) => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    progress.current = undefined;
    setState({ status: 'running' });
    streamBacktest(body, {
      signal: controller.signal,
      onProgress: (p) => {
        progress.current = p;
        if (current.current === controller) setState({ status: 'running', progress: p });
      },
    }).then(
      (report) => {
        if (current.current === controller) setState({ status: 'done', report });
      },
      (error) => {
        if (current.current !== controller) return;
        setState(controller.signal.aborted ? { status: 'canceled', progress: progress.current } : { status: 'error', error });
      },
    );
  }, []);

  return { state, start, cancel };
}
