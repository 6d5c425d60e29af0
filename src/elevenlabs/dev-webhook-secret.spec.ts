import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from '../config/app-config.js';
import { devWebhookSecretFile, resolveWebhookSecret } from './dev-webhook-secret.js';

describe('resolveWebhookSecret', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'convai-wsec-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const config = (env: Record<string, string> = {}) => loadAppConfig({ EMBEDDED_DB_DIR: join(root, 'data/db'), ...env });

  it('outside production generates one secret into the data folder (0600) and keeps it', () => {
    const first = resolveWebhookSecret(config());
    expect(first).toMatch(/^wsec_dev_[0-9a-f]{64}$/);
    const file = devWebhookSecretFile(config());
    expect(file).toBe(join(root, 'data/webhook-secret'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveWebhookSecret(config())).toBe(first);
    expect(readFileSync(file, 'utf8')).toBe(first);
  });

  it('ELEVENLABS_WEBHOOK_SECRET wins and nothing is written', () => {
    expect(resolveWebhookSecret(config({ ELEVENLABS_WEBHOOK_SECRET: 'wsec_configured' }))).toBe('wsec_configured');
    expect(() => statSync(join(root, 'data/webhook-secret'))).toThrow();
  });

  it('never generates one in production', () => {
    const production = { ...config(), isProduction: true };
    expect(resolveWebhookSecret(production)).toBeUndefined();
    expect(() => statSync(join(root, 'data/webhook-secret'))).toThrow();
  });
});
