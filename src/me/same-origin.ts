/**
 * CSRF check of the page's form POSTs (beside the SameSite=Lax cookie): the browser's `Origin` (or, when a
 * browser leaves it out, `Referer`) must be this server, as reached (the Host header) or as published (PUBLIC_URL).
 * A POST with neither header is refused: every browser that sends a form sends one of them.
 */
export function isSameOriginRequest(headers: { origin?: string; referer?: string; host?: string }, protocol: string, publicUrl: string): boolean {
  const claimed = headers.origin && headers.origin !== 'null' ? headers.origin : headers.referer;
  if (!claimed) return false;
  let origin: string;
  try {
    origin = new URL(claimed).origin;
  } catch {
    return false;
  }
  const allowed = new Set<string>([new URL(publicUrl).origin]);
  if (headers.host) {
    try {
      allowed.add(new URL(`${protocol}://${headers.host}`).origin);
    } catch {
      // a malformed Host header allows nothing extra
    }
  }
  return allowed.has(origin);
}
