/**
 * Content-Security-Policy of the room page: our own scripts (and the widget script's origin when
 * WIDGET_SCRIPT_URL is absolute), and exactly what the ElevenLabs widget reaches at run time: its API and
 * WebSocket/WebRTC hosts, Google Fonts, its images on storage.googleapis.com, and the libsamplerate worklet
 * on cdn.jsdelivr.net. `blob:` scripts are the audio worklets the widget builds in the page. No inline script.
 */
export function roomPageCsp(widgetScriptUrl: string): string {
  const widgetOrigin = /^https?:\/\//i.test(widgetScriptUrl) ? new URL(widgetScriptUrl).origin : null;
  const script = ["'self'", 'blob:', 'https://cdn.jsdelivr.net', ...(widgetOrigin ? [widgetOrigin] : [])];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': script,
    'worker-src': ["'self'", 'blob:', 'https://cdn.jsdelivr.net'],
    'connect-src': [
      "'self'",
      'https://*.elevenlabs.io',
      'wss://*.elevenlabs.io',
      'wss://livekit.rtc.elevenlabs.io',
      'https://*.livekit.cloud',
      'wss://*.livekit.cloud',
      'https://cdn.jsdelivr.net',
    ],
    // The widget renders in a shadow root with inline styles.
    'style-src': ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
    'font-src': ["'self'", 'data:', 'https://fonts.gstatic.com'],
    'img-src': ["'self'", 'data:', 'blob:', 'https://storage.googleapis.com'],
    'media-src': ["'self'", 'blob:', 'data:'],
    'frame-src': ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}
