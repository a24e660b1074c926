export const CLIENT_OUT_DIR: string;
export const SERVER_ENTRY: string;
export const SERVER_BUNDLE: string;
export const CLIENT_INPUTS: string[];
export function newestMtime(paths: string[]): number;
export function clientIsStale(root?: string): boolean;
export function buildClient(): Promise<number>;
export function buildServer(): Promise<number>;
export function buildForStart(): Promise<number>;
