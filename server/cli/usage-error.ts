/** A mistake on the command line or in the settings: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
/** failed at run time (cannot listen, the database is away, …) */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
