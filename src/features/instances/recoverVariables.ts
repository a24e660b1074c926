/**
 * Remote mode: upstream Flows does not return an instance's variables, but its history holds
 * every stage's resolved input. Where a field of the definition is a template with one variable
 * (`${amount}`, `users:${userID}`), the value it ran with gives that variable back. Variables of
 * stages that never ran, or only in templates of several variables, stay unknown; a variable
 * read back with two different values is dropped rather than guessed.
 */

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => !!v && typeof v === 'object' && !Array.isArray(v);
const PLACEHOLDER = /\$\{([^}]+)\}/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The variables a template gives back from the value it resolved to (undefined: not one variable, or no match). */
function fromTemplate(template: string, resolved: unknown): [string, string] | undefined {
  const names = new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!));
  if (names.size !== 1) return undefined;
  if (typeof resolved !== 'string' && typeof resolved !== 'number' && typeof resolved !== 'boolean') return undefined;
  const pattern = new RegExp(
    `^${template
      .split(PLACEHOLDER)
      .filter((_, i) => i % 2 === 0)
      .map(escape)
      .join('([\\s\\S]*?)')}$`,
  );
  const m = pattern.exec(String(resolved));
  if (!m || new Set(m.slice(1)).size !== 1) return undefined;
  return [[...names][0]!, m[1]!];
}

/** Variables read back from the resolved inputs of the stages that ran (history entry i is stage i). */
export function recoverVariables(stages: readonly unknown[], history: readonly { input: unknown }[]): Record<string, string> {
  const found = new Map<string, string | null>();
  const visit = (template: unknown, resolved: unknown) => {
    if (typeof template === 'string') {
      const got = fromTemplate(template, resolved);
      if (!got) return;
      const [name, value] = got;
      const known = found.get(name);
      found.set(name, known === undefined || known === value ? value : null);
    } else if (Array.isArray(template)) {
      if (Array.isArray(resolved)) template.forEach((t, i) => visit(t, resolved[i]));
    } else if (isRec(template) && isRec(resolved)) {
      for (const [k, t] of Object.entries(template)) visit(t, resolved[k]);
    }
  };
  stages.forEach((stage, i) => {
    const entry = history[i];
    if (!entry || !isRec(stage)) return;
    // A stage is `{ <kind>: config }`; its history input is the config, resolved.
    const kind = Object.keys(stage)[0];
    if (kind !== undefined) visit(stage[kind], entry.input);
  });
  return Object.fromEntries([...found].filter((e): e is [string, string] => e[1] !== null));
}
