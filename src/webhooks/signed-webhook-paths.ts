/** POST routes whose signature is checked on the raw bytes: their body is kept as a Buffer (req.rawBody), parsed by the route. */
export const SIGNED_WEBHOOK_PATHS = new Set(['/api/webhooks/elevenlabs', '/api/calls']);

/** A POST to one of the signed webhook routes (Express request, or a raw IncomingMessage with only `url`). */
export function isSignedWebhook(request: { method?: string; url?: string; path?: string }): boolean {
  if (request.method !== 'POST') return false;
  const path = request.path ?? (request.url ?? '').split('?')[0];
  return SIGNED_WEBHOOK_PATHS.has(path.replace(/\/+$/, ''));
}
