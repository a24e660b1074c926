export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}
export function readJsonReport(file: string): Promise<unknown>;
export function countVitest(report: unknown, exitCode: number): Counts;
export function countPlaywright(report: unknown, exitCode: number): Counts;
export function countGoTest(output: string, exitCode: number): Counts;
export function countJUnit(xml: string | null, exitCode: number, label?: string): Counts;
export function totalsLine(suites: Array<{ passed: number; failed: number }>): string;
