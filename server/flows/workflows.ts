import { randomUUID } from 'node:crypto';
import { notFound, validation } from '../errors.js';
import { json, type Db } from '../store/db.js';
import { fetchPage, seqBound, type CursorPage, type PageRequest } from '../store/pagination.js';
import { toWorkflow, type Workflow, type WorkflowConfig } from '../engine/shapes.js';
import { checkStages } from '../stages/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_STAGES = 1000;
const MAX_NAME = 1024;

export function validateWorkflowConfig(body: unknown): WorkflowConfig {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validation('request body: expected an object with `stages`');
  const b = body as Record<string, unknown>;
  if (b.name !== undefined && b.name !== null && typeof b.name !== 'string') throw validation('name: expected a string');
  const name = (b.name as string | undefined) ?? '';
  if (name.length > MAX_NAME) throw validation(`name: at most ${MAX_NAME} characters`);
  if (b.stages === undefined || b.stages === null) throw validation('stages: required (an array of stages, may be empty)');
  if (!Array.isArray(b.stages)) throw validation('stages: expected an array');
  if (b.stages.length > MAX_STAGES) throw validation(`stages: at most ${MAX_STAGES} stages`);
  const problems = checkStages(b.stages);
  if (problems.length) throw validation(problems.join('\n'));
  return { name, stages: b.stages as Record<string, unknown>[] };
}

export class Workflows {
  constructor(private readonly db: Db) {}

  async create(body: unknown): Promise<Workflow> {
    const config = validateWorkflowConfig(body);
    const now = new Date();
    const [row] = await this.db.query(`insert into workflows (id, name, config, created_at, updated_at) values ($1, $2, $3::jsonb, $4, $4) returning *`, [
      randomUUID(),
      config.name,
      json(config),
      now,
    ]);
    return toWorkflow(row);
  }

  /** Non-deleted workflows, all of them (v1). */
  async listAll(): Promise<Workflow[]> {
    const rows = await this.db.query(`select * from workflows where deleted_at is null order by seq`);
    return rows.map(toWorkflow);
  }

  async list(page: PageRequest<Record<string, never>>): Promise<CursorPage<Workflow>> {
    return fetchPage(
      page,
      async (q) => {
        const params: unknown[] = [];
        const b = seqBound(q, params);
        params.push(q.limit);
        return this.db.query<any>(`select * from workflows where deleted_at is null and ${b.where} order by seq ${b.order} limit $${params.length}`, params);
      },
      toWorkflow,
    );
  }

  /** Deleted workflows are still readable (with deletedAt), as upstream. */
  async get(id: string): Promise<Workflow> {
    const [row] = await this.db.query(`select * from workflows where id = $1`, [id]);
    if (!row) throw notFound('Workflow not found');
    return toWorkflow(row);
  }

  async delete(id: string): Promise<void> {
    if (!UUID.test(id)) throw validation(`flowId: expected a UUID, got '${id.slice(0, 64)}'`);
    // Deleting twice keeps the first deletedAt (docs/compatibility.md).
    const rows = await this.db.query(`update workflows set deleted_at = coalesce(deleted_at, $2), updated_at = $2 where id = $1 returning id`, [
      id.toLowerCase(),
      new Date(),
    ]);
    if (rows.length === 0) throw notFound('Workflow not found');
  }
}
