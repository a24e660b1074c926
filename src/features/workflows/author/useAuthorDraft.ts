import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuthorState } from '../authorState';
import type { DefinitionFormat } from '../definitionText';
import { clearDraft, writeDraft, type Draft, type DraftKey } from '../draft';

/** How long typing pauses before the draft is written (it is also written at once when the page hides or unloads). */
const DRAFT_DELAY_MS = 300;

function draftOf(state: AuthorState): Omit<Draft, 'savedAt'> {
  const format: DefinitionFormat = state.origin === 'yaml' ? 'yaml' : 'json';
  return { format, text: state[format].text };
}

/**
 * The unsaved draft of the authoring page, kept in localStorage until saved or discarded: read
 * once on open, written after a pause in typing, and flushed at once when the tab hides, the page
 * unloads or the component unmounts (leaving for another page), so the last edits are never lost.
 */
export function useAuthorDraft(key: DraftKey, state: AuthorState, found: Draft | undefined) {
  const [restored, setRestored] = useState(found);
  /** Set once saved or discarded: nothing may write the draft again. */
  const closed = useRef(false);
  const pending = useRef<Omit<Draft, 'savedAt'> | undefined>(undefined);

  const flush = useCallback(() => {
    if (pending.current && !closed.current) writeDraft(key, pending.current);
    pending.current = undefined;
  }, [key]);

  useEffect(() => {
    if (!state.dirty || closed.current) return;
    pending.current = draftOf(state);
    const timer = setTimeout(flush, DRAFT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [state, flush]);

  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', flush);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', flush);
      flush();
    };
  }, [flush]);

  return {
    /** The draft found on open (until dismissed or discarded). */
    restored,
    dismissRestored: () => setRestored(undefined),
    /** Writes what is pending now (before navigating away, for instance). */
    flush,
    /** The workflow was created: the draft is deleted and never written again. */
    markSaved: () => {
      closed.current = true;
      pending.current = undefined;
      clearDraft(key);
    },
    /** The draft is thrown away; later edits start a new one. */
    discard: () => {
      pending.current = undefined;
      clearDraft(key);
      setRestored(undefined);
    },
  };
}
