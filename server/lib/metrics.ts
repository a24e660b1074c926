import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus metrics (prom-client), one set per server: HTTP requests, the engine,
 * the trigger dispatcher, the database pool and, in remote mode, the calls to the stack. Label
 * values are bounded: route patterns, stage kinds, statuses, never ids.
 *
 * Gauges read from the database (queue depth, event backlog) are sampled by collectors when
 * /metrics is scraped. Several processes sharing one PostgreSQL each report the same shared
 * queue: aggregate those with max(), and the per-process counters with sum().
 */

export type StageOutcome = 'succeeded' | 'failed' | 'suspended' | 'retrying';
export type InstanceEnd = 'succeeded' | 'failed' | 'canceled';

const PREFIX = 'flows_console_';
const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Node's process metrics (CPU, memory, event loop, GC) once per process, shared by every server in it. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly collectors: Array<() => Promise<void>> = [];

  readonly info = new Gauge({
    name: `${PREFIX}info`,
    help: 'Always 1; the labels say which version runs in which mode',
    labelNames: ['version', 'mode'],
    registers: [this.registry],
  });

  readonly httpRequests = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'HTTP requests by method, route pattern and status, and how long they took (until the response headers)',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly stageExecutions = new Counter({
    name: `${PREFIX}engine_stage_executions_total`,
    help: 'Stage executions by this process, by stage kind and outcome (suspended: parked in a delay or an event wait; retrying: an activity failed and is retried later)',
    labelNames: ['kind', 'outcome'],
    registers: [this.registry],
  });
  readonly instancesStarted = new Counter({
    name: `${PREFIX}engine_instances_started_total`,
    help: 'Instances started through this process (runs and triggers)',
    registers: [this.registry],
  });
  readonly instancesFinished = new Counter({
    name: `${PREFIX}engine_instances_finished_total`,
    help: 'Instances that ended in this process, by status',
    labelNames: ['status'],
    registers: [this.registry],
  });
  readonly tasksInFlight = new Gauge({
    name: `${PREFIX}engine_tasks_in_flight`,
    help: 'Instances this process is running a step of right now',
    registers: [this.registry],
  });
  readonly tasks = new Gauge({
    name: `${PREFIX}engine_tasks`,
    help: 'Engine tasks in the database (shared by every process): due (waiting for a worker), leased (being run), scheduled (a delay or a retry not yet due)',
    labelNames: ['state'],
    registers: [this.registry],
  });
  readonly oldestDueTask = new Gauge({
    name: `${PREFIX}engine_oldest_due_task_age_seconds`,
    help: 'How long the oldest due task not being run has been waiting for a worker (0: none)',
    registers: [this.registry],
  });

  readonly triggerOccurrences = new Counter({
    name: `${PREFIX}trigger_occurrences_total`,
    help: 'Trigger occurrences recorded by this process, by result (started: an instance was started; failed: vars did not evaluate or the workflow is gone)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly triggerErrors = new Counter({
    name: `${PREFIX}trigger_dispatch_errors_total`,
    help: 'Failures of the trigger dispatcher (retried on its next turn)',
    registers: [this.registry],
  });
  readonly eventsBehind = new Gauge({
    name: `${PREFIX}trigger_events_behind`,
    help: 'Events published but not yet read by the trigger dispatcher',
    registers: [this.registry],
  });

  readonly dbConnections = new Gauge({
    name: `${PREFIX}db_pool_connections`,
    help: 'PostgreSQL pool connections, by state (total, idle)',
    labelNames: ['state'],
    registers: [this.registry],
  });
  readonly dbWaiting = new Gauge({
    name: `${PREFIX}db_pool_waiting_requests`,
    help: 'Queries waiting for a free PostgreSQL pool connection',
    registers: [this.registry],
  });

  readonly remoteRequests = new Histogram({
    name: `${PREFIX}remote_request_duration_seconds`,
    help: "Remote mode: calls to the Formance stack by API (orchestration, ledger, wallets, payments, info, token) and status ('error': no answer)",
    labelNames: ['api', 'status'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly remoteErrors = new Counter({
    name: `${PREFIX}remote_errors_total`,
    help: 'Remote mode: calls to the stack that failed, by reason (unreachable, timeout, token: our credentials were refused or the token endpoint failed, status: the stack answered 5xx)',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  /** Adds a sampler run at each scrape (a failing one leaves its gauges as they were). */
  addCollector(collect: () => Promise<void>): void {
    this.collectors.push(collect);
  }

  /** The Prometheus text exposition of this server's metrics and the process's. */
  async text(): Promise<string> {
    await Promise.all(this.collectors.map((c) => c().catch(() => {})));
    return `${await this.registry.metrics()}\n${await processMetrics().metrics()}`;
  }

  readonly contentType = this.registry.contentType;

  /** One answered request. `route` is a pattern, never a raw path. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.observe({ method: HTTP_METHODS.has(method) ? method : 'other', route, status: String(status) }, seconds);
  }
}
