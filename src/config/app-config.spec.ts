import { ConfigError, loadAppConfig } from './app-config.js';

describe('loadAppConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadAppConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.embeddedDbPort).toBe(54329);
    expect(config.elevenlabs.apiBaseUrl).toBe('https://api.elevenlabs.io');
    expect(config.conversationInit.header).toBe('x-convai-secret');
    expect(config.webhookToleranceSeconds).toBe(1800);
    expect(config.webhooks).toEqual({ maxAttempts: 8, retryBaseMs: 30000, concurrency: 4 });
    expect(config.widgetScriptUrl).toBe('/assets/convai-widget.js');
    expect(config.scheduler).toMatchObject({ enabled: true, intervalMs: 60000, reconcileIntervalMs: 600000, outboundConcurrency: 4 });
    expect(config.scheduler.callWindow).toMatchObject({ startMinutes: 480, endMinutes: 1200 });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['SCHEDULER_ENABLED', 'maybe'],
    ['CALL_WINDOW', '20:00-08:00'],
    ['ELEVENLABS_API_BASE_URL', 'ftp://x'],
    ['WEBHOOK_MAX_ATTEMPTS', '0'],
    ['WEBHOOK_CONCURRENCY', 'many'],
    ['RATE_LIMIT_TOOLS', '0'],
    ['RATE_LIMIT_WINDOW_SECONDS', 'a minute'],
  ])('rejects %s=%s with a message naming it', (name, value) => {
    expect(() => loadAppConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadAppConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });

  it('reads the rate limits', () => {
    const { rateLimits } = loadAppConfig({ RATE_LIMIT_WINDOW_SECONDS: '10', RATE_LIMIT_TOOLS: '5' });
    expect(rateLimits).toEqual({ windowSeconds: 10, limits: { tokenSignIn: 30, wsHandshake: 60, conversationStart: 20, signedUrl: 60, tools: 5 } });
  });

  it('refuses production without the database, a JWT key and the webhook secret, naming all three', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'production' })).toThrow(
      'DATABASE_URL, AUTH_JWT_SECRET or AUTH_JWKS_URL, ELEVENLABS_WEBHOOK_SECRET must be set when NODE_ENV=production',
    );
    const config = loadAppConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
      ELEVENLABS_WEBHOOK_SECRET: 'wsec_test',
    });
    expect(config.isProduction).toBe(true);
  });
});
