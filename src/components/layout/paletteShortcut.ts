/** ⌘K / Ctrl+K opens and closes the command palette. */
export const isPaletteShortcut = (e: KeyboardEvent) => (e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'k';
