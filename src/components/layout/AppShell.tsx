import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { Outlet } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { consoleInfoQuery } from '../../api/info';
import { Toaster } from '../toast';
import { Breadcrumbs } from './Breadcrumbs';
import { isPaletteShortcut } from './paletteShortcut';
import { Header } from './Header';
import { MobileNav, Sidebar } from './Sidebar';
import { useMediaQuery, WIDE_SCREEN } from '../useMediaQuery';

// Loaded the first time it is opened: most visits never open it, and the first load is smaller.
const CommandPalette = lazy(() => import('./CommandPalette').then((m) => ({ default: m.CommandPalette })));

/** The console's frame; `account` is shown in the header (who is signed in, when there is a session). */
export function AppShell({ account }: { account?: ReactNode }) {
  const [paletteOpen, setPaletteOpen] = useState(false);
  // Whether the palette has been asked for (then it is mounted, and handles ⌘K itself).
  const [paletteLoaded, setPaletteLoaded] = useState(false);
  const openPalette = () => {
    setPaletteLoaded(true);
    setPaletteOpen(true);
  };
  useEffect(() => {
    if (paletteLoaded) return;
    const onKey = (e: KeyboardEvent) => {
      if (!isPaletteShortcut(e)) return;
      e.preventDefault();
      setPaletteLoaded(true);
      setPaletteOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [paletteLoaded]);
  const info = useQuery(consoleInfoQuery());
  // One navigation rendered, not both with one hidden by CSS: each is a dozen router links, and
  // rendering both weighed on every first load (most on a phone's slow CPU).
  const wide = useMediaQuery(WIDE_SCREEN);
  return (
    <div className="flex h-full">
      <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-surface focus:p-2">
        Skip to content
      </a>
      {wide && <Sidebar sandboxLabel={info.data?.mode === 'remote' ? 'Stack data' : 'Sandbox'} />}
      <div className="flex min-w-0 flex-1 flex-col">
        <Header onOpenPalette={openPalette} account={account} />
        {!wide && <MobileNav />}
        <main id="main" className="min-h-0 flex-1 overflow-y-auto">
          <div className="mx-auto max-w-[1400px] px-4 py-5 md:px-8 md:py-6">
            <Breadcrumbs />
            <Outlet />
          </div>
        </main>
      </div>
      {paletteLoaded && (
        <Suspense fallback={null}>
          <CommandPalette open={paletteOpen} onOpenChange={setPaletteOpen} />
        </Suspense>
      )}
      <Toaster />
    </div>
  );
}
