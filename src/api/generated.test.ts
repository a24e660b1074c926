// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { staleFiles } from '../../scripts/codegen.mjs';

describe('generated API types', () => {
  it('match the OpenAPI contract (run `npm run codegen` when this fails)', async () => {
    expect(await staleFiles()).toEqual([]);
  }, 60_000);
});
