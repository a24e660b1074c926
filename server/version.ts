/** The server's version, as `/_info` reports it. */
export const VERSION = process.env.FLOWS_CONSOLE_VERSION ?? '0.1.0';
