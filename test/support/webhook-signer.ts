import { createHmac } from 'node:crypto';

/** Signs a body exactly as ElevenLabs does: `t=<unix s>,v0=<hex HMAC-SHA256(secret, "t.body")>`. */
export function signWebhook(body: string, secret: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v0=${digest}`;
}
