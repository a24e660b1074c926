/** Saving what the console produces or fetches as a file on the user's machine (one place). */

/** Hands `parts` to the browser as a download named `fileName`. */
export function saveFile(fileName: string, parts: BlobPart[], type: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The browser has taken the file once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The file name of a `Content-Disposition: attachment; filename="…"` header, else `fallback`. */
export function attachmentName(header: string | null, fallback: string): string {
  const name = /filename="([^"]+)"/i.exec(header ?? '')?.[1];
  return name && !/[/\\]/.test(name) ? name : fallback;
}
