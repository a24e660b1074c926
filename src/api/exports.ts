/**
 * Files the console's own endpoints send (openapi/console.yaml, docs/instance-search.md): the
 * export of every instance a filter matches, streamed, and one instance's complete record. They
 * are read with `fetch` itself rather than the typed client: an export may be long, and the
 * console counts its rows as they arrive (progress) and can stop it half way (cancel).
 */
import { apiErrorOf, networkError } from './errors';
import { queryString } from './meta';
import { attachmentName, saveFile } from '../lib/download';
import type { InstanceListFilter } from './instances';

export type ExportFormat = 'csv' | 'json';

/** The export's URL: the list's filters (no paging), the format, and for CSV the columns. */
export function instancesExportUrl(filter: InstanceListFilter, format: ExportFormat, columns?: readonly string[]): string {
  const { cursor: _cursor, pageSize: _pageSize, ...filters } = filter;
  return `/api/console/instances/export${queryString({ ...filters, format, ...(format === 'csv' && columns?.length ? { columns: columns.join(',') } : {}) })}`;
}

export const instanceRecordUrl = (instanceID: string) => `/api/console/instances/${encodeURIComponent(instanceID)}/record`;

/**
 * Counts the rows of an export as its bytes arrive, across chunk boundaries. CSV: line ends
 * outside quoted cells (a cell may hold a line break), less the header row. JSON (one instance
 * per line, `[` alone on the first): lines that open an object. Only ASCII bytes are looked at,
 * which UTF-8 never uses inside a multi-byte character.
 */
export function rowCounter(format: ExportFormat): { add(chunk: Uint8Array): void; readonly rows: number } {
  let lines = 0;
  let inQuote = false;
  let previous = 0;
  return {
    add(chunk) {
      for (const byte of chunk) {
        if (format === 'csv') {
          if (byte === 0x22) inQuote = !inQuote;
          else if (byte === 0x0a && !inQuote) lines++;
        } else if (byte === 0x7b && previous === 0x0a) lines++;
        previous = byte;
      }
    },
    get rows() {
      return format === 'csv' ? Math.max(0, lines - 1) : lines;
    },
  };
}

export interface DownloadProgress {
  /** rows received so far */
  rows: number;
  /** rows the server said will come (X-Total-Count), when it knows */
  total?: number;
  bytes: number;
}

/**
 * Fetches a file from the console server and saves it under the name the server gives, reporting
 * rows as they arrive. Rejects with the server's ApiError (a 400 naming the bad filter, say), or
 * an AbortError when `signal` stops it (nothing is saved then).
 */
export async function downloadFile(
  url: string,
  options: { fallbackName: string; format: ExportFormat; signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void },
): Promise<{ fileName: string; rows: number }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: options.signal, headers: { Accept: options.format === 'csv' ? 'text/csv' : 'application/json' } });
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw networkError(err);
  }
  if (!response.ok) throw await apiErrorOf(response);
  const totalHeader = response.headers.get('X-Total-Count');
  const total = totalHeader !== null && /^\d+$/.test(totalHeader) ? Number(totalHeader) : undefined;
  const counter = rowCounter(options.format);
  const parts: Uint8Array[] = [];
  let bytes = 0;
  options.onProgress?.({ rows: 0, total, bytes });
  const reader = response.body?.getReader();
  if (reader) {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.byteLength;
        counter.add(value);
        options.onProgress?.({ rows: counter.rows, total, bytes });
      }
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') throw err;
      throw networkError(err);
    }
  }
  const fileName = attachmentName(response.headers.get('Content-Disposition'), options.fallbackName);
  saveFile(fileName, parts as BlobPart[], response.headers.get('Content-Type') ?? 'application/octet-stream');
  return { fileName, rows: counter.rows };
}
