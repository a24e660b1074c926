import { packageVersion } from './package-info.js';

/** The server's version, as `/_info`, `/api/console/info` and `flows-console --version` report it. */
export const VERSION = packageVersion();
