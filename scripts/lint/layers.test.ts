import { join } from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, it } from 'vitest';
import layers from './layers.js';

// RuleTester reports through the test runner's own functions.
Object.assign(RuleTester, { afterAll, describe, it });

const root = join(import.meta.dirname, '../..');
const at = (file: string) => join(root, file);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

tester.run('layers/no-upward-import', layers.rules['no-upward-import'], {
  valid: [
    { filename: at('server/flows/instances.ts'), code: "import { Engine } from '../engine/engine.js';" },
    { filename: at('server/http/proxy.ts'), code: "import { ClientCredentialsTokenSource } from '../remote/token.js';" },
    { filename: at('server/engine/engine.ts'), code: "import { CANCELED } from '../../common/status.js';" },
    { filename: at('server/sandbox/ledger.ts'), code: "import { paginate } from './paging.js';" },
    { filename: at('src/features/instances/InstancesList.tsx'), code: "import { Button } from '../../components/Button';" },
    { filename: at('src/routes/index.tsx'), code: "import { x } from '@/features/workflows/templates';" },
  ],
  invalid: [
    { filename: at('server/store/db.ts'), code: "import { Instances } from '../flows/instances.js';", errors: [{ message: /server\/store is below server\/flows/ }] },
    { filename: at('server/triggers/dispatcher.ts'), code: "import type { Instances } from '../flows/instances.js';", errors: 1 },
    { filename: at('server/remote/settings.ts'), code: "import { errorBody } from '../http/respond.js';", errors: 1 },
    {
      filename: at('src/components/Page.tsx'),
      code: "import { InstancesList } from '../features/instances/InstancesList';",
      errors: [{ message: /src\/components is below src\/features/ }],
    },
    { filename: at('src/api/client.ts'), code: "export { x } from '@/features/x';", errors: 1 },
    { filename: at('src/features/instances/x.ts'), code: "import { y } from '../../../server/engine/engine';", errors: [{ message: /share code through common/ }] },
    { filename: at('common/status.ts'), code: "import { z } from '../src/lib/time';", errors: 1 },
  ],
});
