/**
 * The precise status of a list's running rows, read for all of them at once: each row on screen
 * registers its id, and the provider asks `GET /api/console/instances/progress` for the ids shown
 * (a group per 50), live through the stream like the list itself. Per row, an instance, a history
 * and sometimes an activities request used to be most of the Instances page's first load.
 */
import { useQueries } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { instancesProgressQuery, progressIdGroups } from '../../api/instances';
import type { WorkflowInstance } from '../../api/types';
import { preciseStatus, type PreciseStatus } from '../../../common/status';

interface RowProgress {
  register(id: string): () => void;
  status(id: string): PreciseStatus | undefined;
}

const RowProgressContext = createContext<RowProgress | null>(null);

/** The ids of the rows on screen (a row may mount twice: counted), announced once per tick. */
class ShownIds {
  private counts = new Map<string, number>();
  private listeners = new Set<() => void>();
  private key = '';
  private pending = false;

  register = (id: string) => {
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    this.changed();
    return () => {
      const n = (this.counts.get(id) ?? 1) - 1;
      if (n > 0) this.counts.set(id, n);
      else this.counts.delete(id);
      this.changed();
    };
  };

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The sorted ids, as one string (stable while the set is). */
  snapshot = () => this.key;

  private changed() {
    if (this.pending) return;
    this.pending = true;
    // Rows mount and unmount many at a time (a page, a scroll): one new request for all of them.
    queueMicrotask(() => {
      this.pending = false;
      const key = [...this.counts.keys()].sort().join('\n');
      if (key === this.key) return;
      this.key = key;
      for (const listener of this.listeners) listener();
    });
  }
}

export function RowProgressProvider({ refetchMs, children }: { refetchMs: number | false; children: ReactNode }) {
  const [shown] = useState(() => new ShownIds());
  const key = useSyncExternalStore(shown.subscribe, shown.snapshot);
  const groups = useMemo(() => progressIdGroups(key ? key.split('\n') : []), [key]);
  const answers = useQueries({ queries: groups.map((ids) => instancesProgressQuery(ids, { refetchInterval: refetchMs })) });
  // The last answer for each id: a row whose group changed (a scroll) keeps its status until the new one answers.
  const known = useRef(new Map<string, PreciseStatus>());
  const version = answers.map((a) => a.dataUpdatedAt).join();
  const value = useMemo<RowProgress>(() => {
    for (const answer of answers) for (const p of answer.data ?? []) known.current.set(p.id, p.status);
    const ids = new Set(key.split('\n'));
    for (const id of known.current.keys()) if (!ids.has(id)) known.current.delete(id);
    return { register: shown.register, status: (id) => known.current.get(id) };
    // `version` stands for the answers (a new array each render).
  }, [version, key, shown]);
  return <RowProgressContext.Provider value={value}>{children}</RowProgressContext.Provider>;
}

/** A running row's precise status: from the provider's answer, else what the row itself says. */
export function useRowProgress(instance: WorkflowInstance): PreciseStatus {
  const progress = useContext(RowProgressContext);
  const register = progress?.register;
  useEffect(() => register?.(instance.id), [register, instance.id]);
  return progress?.status(instance.id) ?? preciseStatus(instance);
}
