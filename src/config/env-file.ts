import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Reads ./.env when present; variables already set in the environment win. */
export function loadEnvFile(path = resolve('.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
