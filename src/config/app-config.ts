import { resolve } from 'node:path';

/** Typed, validated configuration. Read once at start (see loadAppConfig); injected everywhere else. */
export interface AppConfig {
  nodeEnv: string;
  isProduction: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  port: number;
  publicUrl: string;
  /** Unset: the server starts its embedded PostgreSQL and fills this in before the app module loads. */
  databaseUrl: string | undefined;
  /** Connection tries (2 s apart) before giving up on an unreachable database. */
  databaseConnectRetries: number;
  embeddedDbDir: string;
  embeddedDbPort: number;
  /** Folder for generated dev state (JWT key, audio): the parent of the embedded database folder. */
  dataDir: string;
  auth: {
    jwtSecret: string | undefined;
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
  };
  elevenlabs: {
    apiKey: string | undefined;
    apiBaseUrl: string;
    agentId: string | undefined;
    phoneNumberId: string | undefined;
    webhookSecret: string | undefined;
  };
  conversationInit: { header: string; secret: string | undefined };
  webhookToleranceSeconds: number;
  /** Processing of stored webhook deliveries (see docs/webhooks.md). */
  webhooks: {
    /** Tries before an event stays `failed` for good (an admin may still replay it). */
    maxAttempts: number;
    /** Delay before the first retry; doubles with each failure, capped at one hour. */
    retryBaseMs: number;
    /** Events processed at once per process. */
    concurrency: number;
  };
  widgetScriptUrl: string;
  scheduler: {
    enabled: boolean;
    intervalMs: number;
    reconcileIntervalMs: number;
    outboundConcurrency: number;
    callWindow: { startMinutes: number; endMinutes: number; text: string };
    /** First retry delay of a failed dial (doubles per failure, plus jitter). */
    retryBaseMs: number;
    /** Longest delay between two dials of one task. */
    retryMaxMs: number;
    /** Tasks claimed per claiming transaction (at most the free dial slots). */
    claimBatchSize: number;
    /** A dial still unanswered after this long (a crash or a timeout) is looked up at ElevenLabs before any retry. */
    staleDialMs: number;
  };
  /** Requests allowed per window, per process (in memory): per IP, per user or per tool token. */
  rateLimits: { windowSeconds: number; limits: Record<RateLimitName, number> };
}

/** The named rate limits (@nestjs/throttler throttlers, src/rate-limits); webhooks and health are never throttled. */
export const RATE_LIMIT_NAMES = ['tokenSignIn', 'wsHandshake', 'conversationStart', 'signedUrl', 'tools'] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

export const APP_CONFIG = Symbol('APP_CONFIG');

/** A configuration value that cannot be used; the message names the variable in one line. */
export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL (expected ${protocols.join(' or ')}//…)`);
  }
  if (!protocols.includes(parsed.protocol) || !parsed.hostname) {
    throw new ConfigError(name, `must start with ${protocols.join(' or ')}// and name a host`);
  }
  return raw.replace(/\/+$/, '');
}

function callWindow(env: Env): AppConfig['scheduler']['callWindow'] {
  const raw = text(env, 'CALL_WINDOW') ?? '08:00-20:00';
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/.exec(raw);
  const startMinutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  const endMinutes = match ? Number(match[3]) * 60 + Number(match[4]) : NaN;
  if (!match || endMinutes > 24 * 60 || startMinutes >= endMinutes) {
    throw new ConfigError('CALL_WINDOW', `must be HH:MM-HH:MM with the start before the end, got "${raw}"`);
  }
  return { startMinutes, endMinutes, text: raw };
}

/** Validates the environment once; throws ConfigError naming the first bad variable. */
export function loadAppConfig(env: Env = process.env): AppConfig {
  const nodeEnv = text(env, 'NODE_ENV') ?? 'development';
  const isProduction = nodeEnv === 'production';
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const embeddedDbDir = resolve(text(env, 'EMBEDDED_DB_DIR') ?? './.data/db');

  const config: AppConfig = {
    nodeEnv,
    isProduction,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    port,
    publicUrl: url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databaseConnectRetries: integer(env, 'DATABASE_CONNECT_RETRIES', 15, 1, 1000),
    embeddedDbDir,
    embeddedDbPort: integer(env, 'EMBEDDED_DB_PORT', 54329, 1, 65535),
    dataDir: resolve(embeddedDbDir, '..'),
    auth: {
      jwtSecret: text(env, 'AUTH_JWT_SECRET'),
      jwksUrl: url(env, 'AUTH_JWKS_URL', ['http:', 'https:']),
      issuer: text(env, 'AUTH_JWT_ISSUER'),
      audience: text(env, 'AUTH_JWT_AUDIENCE'),
    },
    elevenlabs: {
      apiKey: text(env, 'ELEVENLABS_API_KEY'),
      apiBaseUrl: url(env, 'ELEVENLABS_API_BASE_URL', ['http:', 'https:']) ?? 'https://api.elevenlabs.io',
      agentId: text(env, 'ELEVENLABS_AGENT_ID'),
      phoneNumberId: text(env, 'ELEVENLABS_PHONE_NUMBER_ID'),
      webhookSecret: text(env, 'ELEVENLABS_WEBHOOK_SECRET'),
    },
    conversationInit: {
      header: (text(env, 'CONVERSATION_INIT_HEADER') ?? 'x-convai-secret').toLowerCase(),
      secret: text(env, 'CONVERSATION_INIT_SECRET'),
    },
    webhookToleranceSeconds: integer(env, 'WEBHOOK_TOLERANCE_SECONDS', 1800, 1, 7 * 24 * 3600),
    webhooks: {
      maxAttempts: integer(env, 'WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
      retryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 30000, 0, 86_400_000),
      concurrency: integer(env, 'WEBHOOK_CONCURRENCY', 4, 1, 64),
    },
    widgetScriptUrl: text(env, 'WIDGET_SCRIPT_URL') ?? '/assets/convai-widget.js',
    scheduler: {
      enabled: boolean(env, 'SCHEDULER_ENABLED', true),
      intervalMs: integer(env, 'SCHEDULER_INTERVAL_MS', 60000, 100, 86_400_000),
      reconcileIntervalMs: integer(env, 'RECONCILE_INTERVAL_MS', 600000, 100, 86_400_000),
      outboundConcurrency: integer(env, 'OUTBOUND_CONCURRENCY', 4, 1, 100),
      callWindow: callWindow(env),
      retryBaseMs: integer(env, 'SCHEDULER_RETRY_BASE_MS', 120_000, 0, 86_400_000),
      retryMaxMs: integer(env, 'SCHEDULER_RETRY_MAX_MS', 3_600_000, 0, 7 * 86_400_000),
      claimBatchSize: integer(env, 'SCHEDULER_CLAIM_BATCH', 50, 1, 1000),
      // Above the dial's own 20 s timeout, so a dial in flight is never taken for a crashed one.
      staleDialMs: integer(env, 'SCHEDULER_STALE_DIAL_MS', 60_000, 25_000, 86_400_000),
    },
    rateLimits: {
      windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
      limits: {
        tokenSignIn: integer(env, 'RATE_LIMIT_TOKEN_SIGN_IN', 30, 1, 1_000_000),
        wsHandshake: integer(env, 'RATE_LIMIT_WS_HANDSHAKE', 60, 1, 1_000_000),
        conversationStart: integer(env, 'RATE_LIMIT_CONVERSATION_START', 20, 1, 1_000_000),
        signedUrl: integer(env, 'RATE_LIMIT_SIGNED_URL', 60, 1, 1_000_000),
        tools: integer(env, 'RATE_LIMIT_TOOLS', 120, 1, 1_000_000),
      },
    },
  };

  if (isProduction) {
    const missing = [
      !config.databaseUrl && 'DATABASE_URL',
      !config.auth.jwtSecret && !config.auth.jwksUrl && 'AUTH_JWT_SECRET or AUTH_JWKS_URL',
      !config.elevenlabs.webhookSecret && 'ELEVENLABS_WEBHOOK_SECRET',
    ].filter(Boolean);
    if (missing.length) {
      throw new ConfigError(missing.join(', '), 'must be set when NODE_ENV=production');
    }
  }
  return config;
}
