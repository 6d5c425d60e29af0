/** Keys whose values never reach the log, at any depth. */
const SECRET_KEY = /^(secret__.*|authorization|cookie|set-cookie|xi-api-key|elevenlabs-signature|x-convai-secret|api_?key|apikey|token|access_token|tool_token|password|webhook_secret|signed_?url)$/i;

export const REDACTED = '[redacted]';

/** Removes `token=` query values from a URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|conversation_signature)=)[^&#]*/gi, `$1${REDACTED}`);
}

/**
 * Copies a log object with secret-looking keys and any known secret value (API key, webhook secret, …)
 * replaced. Bounded depth: logs are not the place for whole payloads.
 */
export function redactSecrets(value: unknown, knownSecrets: string[], depth = 0): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const secret of knownSecrets) if (secret && out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) {
    return { type: value.name, message: redactSecrets(value.message, knownSecrets), stack: redactSecrets(value.stack, knownSecrets) };
  }
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, knownSecrets, depth + 1));
  // Only plain data is walked: pino hands formatters the raw req/res objects (sockets and all) before its
  // serializers reduce them, and walking those costs more than the request itself.
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactSecrets(item, knownSecrets, depth + 1);
  }
  return out;
}
