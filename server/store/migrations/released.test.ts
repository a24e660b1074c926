import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from './index.js';

/**
 * Migrations are append-only: a database written by an earlier release has recorded the ids of
 * the migrations it ran and will never run them again, so a released migration whose text
 * changes leaves those databases with a schema the code does not expect. checksums.json holds
 * the SHA-256 of the SQL of every released migration, in order. A migration that is not listed
 * yet (added since the last release) is fine; the upgrade fixture script adds it when it makes
 * the next fixture (docs/upgrades.md).
 */
const sums = JSON.parse(readFileSync(join(import.meta.dirname, 'checksums.json'), 'utf8')) as Record<string, string>;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const HOW =
  'A released migration must not change: databases of earlier releases already ran it and will not run it again. ' +
  'Put the change in a new migration at the end of server/store/migrations/index.ts instead. ' +
  'To register a new migration as released, add its line to server/store/migrations/checksums.json ' +
  '(`npm run upgrade-fixture` does it when it writes the fixture of a release): ';

describe('released migrations', () => {
  it('keep their ids, their order and their text', () => {
    const released = Object.entries(sums);
    expect(released.length).toBeGreaterThanOrEqual(3);
    released.forEach(([id, sum], i) => {
      const m = migrations[i];
      expect(m?.id, `${HOW}migration #${i + 1} must be ${id}, found ${m?.id ?? 'none'}`).toBe(id);
      expect(sha256(m.sql), `${HOW}the text of ${id} changed`).toBe(sum);
    });
    const added = migrations.slice(released.length);
    for (const m of added) console.log(`migration ${m.id} is not released yet; once it is: "${m.id}": "${sha256(m.sql)}"`);
  });

  it('include every migration a kept upgrade fixture ran', () => {
    const dir = join(import.meta.dirname, '../../reliability/upgrade/fixtures');
    for (const fixture of readdirSync(dir)) {
      for (const store of ['pglite', 'postgres']) {
        const manifest = JSON.parse(readFileSync(join(dir, fixture, `${store}.json`), 'utf8')) as { migrations: string[] };
        for (const id of manifest.migrations) expect(sums[id], `${HOW}${fixture} (${store}) ran ${id}, which has no checksum`).toBeDefined();
      }
    }
  });
});
