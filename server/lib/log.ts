import { currentRequestId } from './request-context.js';

/**
 * The server's logger: one line per request, engine event or error. `json`: one JSON object per
 * line (`time`, `level`, `msg`, then the fields: `requestId`, `route`, `status`, `durationMs`,
 * `instanceId`, …) for a log collector; `text`: the same as a readable line. The id of the
 * request being served is added to every line written while serving it.
 *
 * Fields are plain values chosen by the caller. Never pass an error object, a header or a
 * request body: they can carry a credential. Pass `err.message` (see `errorFields`).
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where lines go: stdout, except warnings and errors in text format (stderr). */
export type LogSink = (line: string, level: LogLevel) => void;

const defaultSink =
  (format: LogFormat): LogSink =>
  (line, level) => {
    if (format === 'text' && RANK[level] >= RANK.warn) process.stderr.write(`${line}\n`);
    else process.stdout.write(`${line}\n`);
  };

export interface LoggerOptions {
  format?: LogFormat;
  /** lines below this level are dropped */
  level?: LogLevel;
  sink?: LogSink;
}

export class Logger {
  readonly format: LogFormat;
  readonly level: LogLevel;
  private readonly min: number;
  private readonly sink: LogSink;

  constructor(opts: LoggerOptions = {}) {
    this.format = opts.format ?? 'text';
    this.level = opts.level ?? 'info';
    this.min = RANK[this.level];
    this.sink = opts.sink ?? defaultSink(this.format);
  }

  /** The same output at another level. */
  withLevel(level: LogLevel): Logger {
    return new Logger({ format: this.format, level, sink: this.sink });
  }

  /** Whether a line of `level` is written (skip building costly fields otherwise). */
  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.min;
  }

  debug(msg: string, fields?: LogFields): void {
    if (RANK.debug >= this.min) this.write('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    if (RANK.info >= this.min) this.write('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    if (RANK.warn >= this.min) this.write('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    if (RANK.error >= this.min) this.write('error', msg, fields);
  }

  private write(level: LogLevel, msg: string, fields: LogFields = {}): void {
    const requestId = fields.requestId ?? currentRequestId();
    const all: LogFields = requestId === undefined ? fields : { requestId, ...fields };
    const time = new Date().toISOString();
    this.sink(this.format === 'json' ? jsonLine(time, level, msg, all) : textLine(time, level, msg, all), level);
  }
}

function jsonLine(time: string, level: LogLevel, msg: string, fields: LogFields): string {
  const out: Record<string, unknown> = { time, level, msg };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && !(k in out)) out[k] = v;
  return JSON.stringify(out);
}

/** `2026-01-02T03:04:05.678Z INFO  GET /api/x 200 3.1 ms route=/api/x requestId=…` */
function textLine(time: string, level: LogLevel, msg: string, fields: LogFields): string {
  let line = `${time} ${level.toUpperCase().padEnd(5)} ${oneLine(msg)}`;
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    const s = oneLine(String(v));
    line += ` ${k}=${s === '' || /[\s"=]/.test(s) ? JSON.stringify(s) : s}`;
  }
  return line;
}

/** Keeps a text line one line: a value with a line break could forge the next line. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(s) ? JSON.stringify(s).slice(1, -1) : s;
}

/** `{ error: message }` (and the stack for `withStack`) of an error, never its other properties. */
export function errorFields(err: unknown, withStack = false): LogFields {
  if (!(err instanceof Error)) return { error: String(err) };
  return withStack && err.stack ? { error: err.message, stack: err.stack } : { error: err.message };
}

let processLogger = new Logger();

/**
 * The logger of code that runs outside a server's own objects (a pooled connection dying, a
 * malformed request refused before routing). `flows-console` sets it to the configured one.
 */
export function defaultLogger(): Logger {
  return processLogger;
}

export function setDefaultLogger(logger: Logger): void {
  processLogger = logger;
}
