/** Mutation metadata read by the global MutationCache to show toasts (see src/queryClient.ts). */
export interface MutationToastMeta extends Record<string, unknown> {
  /** Toast shown on success (omit for silent mutations); a function words it from the answer. */
  success?: string | ((data: unknown) => string | undefined);
  /** Prefix of the toast shown on failure (the server's errorCode/errorMessage follows). */
  error?: string;
}

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: MutationToastMeta;
  }
}

/** Drops undefined values so query keys and query strings stay canonical. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/** `?a=1&b=2` of the defined values (empty when none), as the API clients send them. */
export function queryString(params: object): string {
  const query = new URLSearchParams(Object.entries(compact(params)).map(([k, v]) => [k, String(v)])).toString();
  return query ? `?${query}` : '';
}
