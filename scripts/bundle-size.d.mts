export declare const BUDGET_BYTES: number;
export declare const FORBIDDEN: { name: string; pattern: RegExp }[];
export declare function measureInitialBundle(distDir: string): {
  files: { file: string; bytes: number; gzip: number }[];
  total: number;
  budget: number;
  forbidden: string[];
};
