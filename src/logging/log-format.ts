/** Nest's start-up chatter (one line per module and route): debug, so the banner and links stay readable. */
export const STARTUP_DETAIL_CONTEXTS: ReadonlySet<string> = new Set(['RoutesResolver', 'RouterExplorer', 'InstanceLoader', 'WebSocketsController']);

/**
 * Human-readable logs (pino-pretty) only for a person at a terminal in development; JSON lines otherwise:
 * production always (log shippers parse them), tests (NODE_ENV=test, set by Jest) and any piped or redirected stdout.
 */
export function usePrettyLogs(environment: { nodeEnv: string; stdoutIsTTY: boolean | undefined }): boolean {
  return environment.nodeEnv !== 'production' && environment.nodeEnv !== 'test' && environment.stdoutIsTTY === true;
}

/** pino's level value for info (30); a start-up detail logged at info is re-issued at debug. */
const INFO = 30;

export function isStartupDetail(args: unknown[], level: number): boolean {
  const first = args[0] as { context?: unknown } | null | undefined;
  return level === INFO && typeof first === 'object' && first !== null && typeof first.context === 'string' && STARTUP_DETAIL_CONTEXTS.has(first.context);
}
