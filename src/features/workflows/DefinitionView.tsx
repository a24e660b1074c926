import { useEffect, useState } from 'react';
import { Link } from '@tanstack/react-router';
import { CopyButton } from '../../components/CopyButton';
import { JsonView } from '../../components/JsonView';
import { Skeleton } from '../../components/states';
import { tabClass, TabList } from '../../components/Tabs';

/** YAML text of a definition; the `yaml` package loads only when this tab opens. */
function useYaml(value: unknown): string | undefined {
  const [text, setText] = useState<string>();
  useEffect(() => {
    let live = true;
    void import('./definitionText').then((m) => live && setText(m.formatDefinition(value, 'yaml')));
    return () => {
      live = false;
    };
  }, [value]);
  return text;
}

const YAML_LINE = /^(\s*(?:- )?)([^:#'"\s][^:#]*?:)(\s|$)(.*)$/;

function YamlView({ value }: { value: unknown }) {
  const text = useYaml(value);
  if (text === undefined) return <Skeleton className="h-40 w-full" />;
  return (
    <div className="relative rounded-lg border border-line bg-subtle">
      <div className="absolute top-1.5 right-1.5">
        <CopyButton text={text} label="Copy workflow definition YAML" />
      </div>
      <pre className="max-h-[420px] overflow-auto p-3 pr-10 font-mono text-[12.5px] leading-relaxed" tabIndex={0} aria-label="Workflow definition YAML">
        <code>
          {text.split('\n').map((line, i) => {
            const m = YAML_LINE.exec(line);
            return (
              <span key={i}>
                {m ? (
                  <>
                    {m[1]}
                    <span className="text-indigo-700 dark:text-indigo-300">{m[2]}</span>
                    {m[3]}
                    <span className="text-emerald-700 dark:text-emerald-300">{m[4]}</span>
                  </>
                ) : (
                  line
                )}
                {'\n'}
              </span>
            );
          })}
        </code>
      </pre>
    </div>
  );
}

/** The definition of a workflow as JSON or YAML (tab in the URL: `?definition=yaml`). */
export function DefinitionView({ value, format }: { value: unknown; format: 'json' | 'yaml' }) {
  return (
    <>
      <TabList label="Definition format">
        <Link
          from="/workflows/$workflowId"
          to="."
          search={(prev) => ({ ...prev, definition: 'json' as const })}
          resetScroll={false}
          className={tabClass(format === 'json')}
        >
          JSON
        </Link>
        <Link
          from="/workflows/$workflowId"
          to="."
          search={(prev) => ({ ...prev, definition: 'yaml' as const })}
          resetScroll={false}
          className={tabClass(format === 'yaml')}
        >
          YAML
        </Link>
      </TabList>
      {format === 'json' ? <JsonView value={value} label="Workflow definition JSON" /> : <YamlView value={value} />}
    </>
  );
}
