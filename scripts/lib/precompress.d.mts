import type { Plugin } from 'vite';
export declare const COMPRESSIBLE: Set<string>;
export declare const MIN_BYTES: number;
export declare function precompressDir(dir: string): Promise<{ files: number; bytes: number; br: number; gzip: number }>;
export declare function precompress(): Plugin;
