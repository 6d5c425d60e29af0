import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

/** The dev webhook secret's file in the data folder (beside the dev JWT key). */
export function devWebhookSecretFile(config: Pick<AppConfig, 'dataDir'>): string {
  return join(config.dataDir, 'webhook-secret');
}

/**
 * ELEVENLABS_WEBHOOK_SECRET, or outside production a `wsec_…` secret generated once and kept in the data folder
 * (mode 0600), so signed webhooks and `npm run simulate` work from the first `npm start`. Production never
 * gets one (loadAppConfig refuses to start without the variable).
 */
export function resolveWebhookSecret(config: AppConfig): string | undefined {
  if (config.elevenlabs.webhookSecret) return config.elevenlabs.webhookSecret;
  if (config.isProduction) return undefined;
  const file = devWebhookSecretFile(config);
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      writeFileSync(file, `wsec_dev_${randomBytes(32).toString('hex')}`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process wrote it first
    }
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}
