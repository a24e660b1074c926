import { useState, type ReactNode } from 'react';
import { Outlet } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { consoleInfoQuery } from '../../api/info';
import { Toaster } from '../toast';
import { Breadcrumbs } from './Breadcrumbs';
import { CommandPalette } from './CommandPalette';
import { Header } from './Header';
import { MobileNav, Sidebar } from './Sidebar';

/** The console's frame; `account` is shown in the header (who is signed in, when there is a session). */
export function AppShell({ account }: { account?: ReactNode }) {
  const [paletteOpen, setPaletteOpen] = useState(false);
  const info = useQuery(consoleInfoQuery());
  return (
    <div className="flex h-full">
      <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-surface focus:p-2">
        Skip to content
      </a>
      <Sidebar sandboxLabel={info.data?.mode === 'remote' ? 'Stack data' : 'Sandbox'} />
      <div className="flex min-w-0 flex-1 flex-col">
        <Header onOpenPalette={() => setPaletteOpen(true)} account={account} />
        <MobileNav />
        <main id="main" className="min-h-0 flex-1 overflow-y-auto">
          <div className="mx-auto max-w-[1400px] px-4 py-5 md:px-8 md:py-6">
            <Breadcrumbs />
            <Outlet />
          </div>
        </main>
      </div>
      <CommandPalette open={paletteOpen} onOpenChange={setPaletteOpen} />
      <Toaster />
    </div>
  );
}
