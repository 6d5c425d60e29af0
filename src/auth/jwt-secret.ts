import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

/**
 * The HS256 key: AUTH_JWT_SECRET, or outside production a key generated once and kept in the data
 * folder so tokens printed by `npm run token` survive restarts. Undefined when only JWKS is configured.
 */
export function resolveJwtSecret(config: AppConfig): string | undefined {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  if (config.isProduction || config.auth.jwksUrl) return undefined;
  const file = join(config.dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}
