/**
 * Building blocks of the zod search-param schemas of every route (defaults make a bare URL valid,
 * garbage falls back to defaults). `zod/mini`: the same zod 4, tree-shakable — search schemas
 * live in the entry chunk, so this keeps the initial bundle small.
 */
import { z } from 'zod/mini';

/** Text params: a hand-typed `?q=123` arrives as a number; keep it as text. Invalid → absent. */
export const textParam = z.catch(
  z.optional(
    z.pipe(
      z.union([z.string(), z.number()]),
      z.transform((v) => String(v)),
    ),
  ),
  undefined,
);

export const cursorParam = z.catch(z.optional(z.string()), undefined);

export const pageSizeParam = z.catch(z._default(z.int().check(z.minimum(1), z.maximum(100)), 15), 15);

export const sortParam = z.catch(z.optional(z.string().check(z.regex(/^[\w.]+(:(asc|desc))?$/))), undefined);

export const tzParam = z.catch(z.optional(z.enum(['local', 'utc'])), undefined);

/** Live refresh interval in seconds (0 = off). */
export const refreshParam = z.catch(z._default(z.union([z.literal(0), z.literal(1), z.literal(5), z.literal(30)]), 0), 0);

/** An enum param with a default (tabs, status filters). */
export function enumParam<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return z.catch(z._default(z.enum(values), fallback as never), fallback as never);
}

/** The paging part of list schemas. */
export const pageSearch = {
  cursor: cursorParam,
  pageSize: pageSizeParam,
  sort: sortParam,
};

export { z };
