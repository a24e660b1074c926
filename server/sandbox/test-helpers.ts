import { EventBus } from '../events/bus.js';
import type { Db } from '../store/db.js';
import { openStore } from '../store/open.js';
import { Sandbox } from './sandbox.js';

/** An in-memory database with every migration applied, and a sandbox over it (tests only). */
export async function openTestSandbox(): Promise<{ db: Db; bus: EventBus; sandbox: Sandbox }> {
  const { db } = await openStore({ dataDir: 'memory' });
  const bus = new EventBus();
  return { db, bus, sandbox: new Sandbox(db, bus) };
}

/** Events of a type published so far (oldest first). */
export async function eventsOf(db: Db, type: string): Promise<any[]> {
  const rows = await db.query(`select * from events where type = $1 order by seq`, [type]);
  return rows.map((r) => ({ ...r, payload: r.payload }));
}
