import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from './migrations/index.js';
import { openStore } from './open.js';
import { imageDirPath, imagePath } from './pglite-image.js';

// A new PGlite database is unpacked from the migrated image (a directory: copied from the image
// unpacked once); it must be the same as one made by
// initdb + migrations, count as new (demo data), and keep what is written across a restart.
let dir: string;
const saved = process.env.PGLITE_IMAGE_DIR;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flows-image-'));
  process.env.PGLITE_IMAGE_DIR = join(dir, 'cache');
});
afterAll(() => {
  if (saved === undefined) delete process.env.PGLITE_IMAGE_DIR;
  else process.env.PGLITE_IMAGE_DIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('PGlite image', () => {
  // Five databases opened (one initdb, one to unpack the image): generous for a busy machine.
  it('is made once, gives new databases every migration, and what is written survives a restart', { timeout: 180_000 }, async () => {
    expect(existsSync(imagePath())).toBe(false);
    const first = await openStore({ dataDir: join(dir, 'a') });
    expect(first.isNew).toBe(true);
    await first.db.close();
    expect(existsSync(imagePath())).toBe(true);
    // a new directory is a copy of the image unpacked once
    expect(existsSync(join(imageDirPath(), 'PG_VERSION'))).toBe(true);

    const second = await openStore({ dataDir: join(dir, 'b') });
    expect(second.isNew).toBe(true);
    const applied = await second.db.query<{ id: string }>('select id from schema_migrations order by id');
    expect(applied.map((r) => r.id)).toEqual(migrations.map((m) => m.id).sort());
    await second.db.query(`create table kept (v text)`);
    await second.db.query(`insert into kept values ('after restart')`);
    await second.db.close();

    const reopened = await openStore({ dataDir: join(dir, 'b') });
    expect(reopened.isNew).toBe(false);
    expect(await reopened.db.query('select v from kept')).toEqual([{ v: 'after restart' }]);
    await reopened.db.close();

    const memory = await openStore({ dataDir: 'memory' });
    expect(memory.isNew).toBe(true);
    expect((await memory.db.query('select count(*)::int as n from schema_migrations'))[0]).toEqual({ n: migrations.length });
    // the json parsers apply in memory too (PGlite drops the options of `new PGlite(undefined, options)`)
    const big = '123456789012345678901234567890123456789';
    expect(await memory.db.query(`select $1::jsonb as j`, [`{"amount":${big}}`])).toEqual([{ j: { amount: BigInt(big) } }]);
    await memory.db.close();
  });
});
