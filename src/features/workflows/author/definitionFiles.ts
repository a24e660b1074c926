import type { AuthorAction, AuthorState } from '../authorState';
import { detectFormat, formatDefinition, parseDefinition, type DefinitionFormat } from '../definitionText';
import { toast } from '../../../components/toast';
import { saveFile } from '../../../lib/download';

export const FORMAT_LABEL: Record<DefinitionFormat, string> = { json: 'JSON', yaml: 'YAML' };

const download = (fileName: string, text: string, type: string) => saveFile(fileName, [text], type);

function fileBaseName(definition: unknown): string {
  const name = definition && typeof definition === 'object' && typeof (definition as { name?: unknown }).name === 'string' ? (definition as { name: string }).name : '';
  return (name.trim() || 'workflow').replace(/[^\w.-]+/g, '-').slice(0, 80);
}

/** Downloads the definition as a file; YAML keeps the text as typed (comments included) when it was written in YAML. */
export function exportDefinition(state: AuthorState, format: DefinitionFormat) {
  const base = fileBaseName(state.definition);
  if (format === 'json') download(`${base}.json`, formatDefinition(state.definition, 'json'), 'application/json');
  else download(`${base}.yaml`, state.origin === 'yaml' && !state.yaml.problem ? state.yaml.text : formatDefinition(state.definition, 'yaml'), 'application/yaml');
}

/**
 * Reads a JSON or YAML file into the page as if typed in that format's editor. Returns the
 * format, and whether it parsed (an invalid file is shown in its editor, where the error is).
 */
export async function importDefinition(file: File, dispatch: (action: AuthorAction) => void): Promise<{ format: DefinitionFormat; ok: boolean }> {
  const text = await file.text();
  const format = detectFormat(file.name, text);
  dispatch({ type: 'text', format, text, source: 'file' });
  toast({ tone: 'info', title: `Imported ${file.name}`, description: `Read as ${FORMAT_LABEL[format]}.` });
  return { format, ok: parseDefinition(text, format).ok };
}
