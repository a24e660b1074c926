/**
 * Building blocks of the search-param schemas of every route (defaults make a bare URL valid,
 * garbage falls back to defaults). Valibot, not zod: the router validates a URL's search before
 * any route code loads, so these schemas are in the initial chunk, where zod's core (even
 * `zod/mini`) weighed ~7 kB on the wire and valibot's few functions weigh ~1 kB.
 */
import * as v from 'valibot';

type Schema = v.GenericSchema;

/** A param that may be absent; an invalid value is dropped. */
export function optionalParam<S extends Schema>(schema: S) {
  return v.fallback(v.optional(schema), undefined);
}

/** A param with a default when absent; an invalid value gives the default too. */
export function defaultParam<S extends Schema>(schema: S, fallback: v.InferOutput<S>) {
  return v.fallback(v.optional(schema, fallback as never), fallback as never);
}

/** An integer in [min, max]. */
export function int(min: number, max = Number.MAX_SAFE_INTEGER) {
  return v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
}

/** Text params: a hand-typed `?q=123` arrives as a number; keep it as text. Invalid → absent. */
export const textParam = optionalParam(
  v.pipe(
    v.union([v.string(), v.number()]),
    v.transform((x) => String(x)),
  ),
);

export const cursorParam = optionalParam(v.string());

export const pageSizeParam = defaultParam(int(1, 100), 15);

export const sortParam = optionalParam(v.pipe(v.string(), v.regex(/^[\w.]+(:(asc|desc))?$/)));

export const tzParam = optionalParam(v.picklist(['local', 'utc']));

/** The live refresh intervals a list offers, in seconds (0 = off). */
export const refreshSeconds = v.picklist([0, 1, 5, 30]);

/** Live refresh interval in seconds (0 = off). */
export const refreshParam = defaultParam(refreshSeconds, 0);

/** An RFC 3339 time in UTC (`…Z`, seconds required, as `toISOString()` writes it). */
export const utcTime = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/),
  v.check((x) => !Number.isNaN(Date.parse(x))),
);

/** An enum param with a default (tabs, status filters). */
export function enumParam<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return defaultParam(v.picklist(values), fallback);
}

/** The paging part of list schemas. */
export const pageSearch = {
  cursor: cursorParam,
  pageSize: pageSizeParam,
  sort: sortParam,
};

export { v };
