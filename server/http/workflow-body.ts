import { parse as parseYaml } from 'yaml';
import { parseJsonLossless } from '../../common/json.js';
import { validation } from '../errors.js';
import { jsonValueProblem } from '../store/storable.js';

/** Parses a create body: JSON, or YAML when the content type is `text/vnd.yaml` (upstream). */
export function parseWorkflowBody(text: string, contentType: string | undefined): unknown {
  const isYaml = (contentType ?? '').split(';')[0].trim().toLowerCase() === 'text/vnd.yaml';
  if (text.trim() === '') throw validation('request body: expected a workflow definition, got an empty body');
  let value: unknown;
  try {
    // Amounts beyond 2^53 stay exact (bigint) in both syntaxes.
    value = isYaml ? parseYaml(text, { maxAliasCount: 100, intAsBigInt: true }) : parseJsonLossless(text, BigInt);
  } catch (err) {
    throw validation(`request body: invalid ${isYaml ? 'YAML' : 'JSON'}: ${(err as Error).message.split('\n')[0]}`);
  }
  // YAML escapes can spell what the database cannot store (JSON is checked by inputGuard).
  const problem = jsonValueProblem(value);
  if (problem) throw validation(`request body: ${problem}`);
  return value;
}
