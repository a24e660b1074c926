export declare const SPECS: { spec: string; out: string }[];
export declare function generate(): Promise<Record<string, string>>;
export declare function staleFiles(): Promise<string[]>;
