// npm run token -- --sub ID --name NAME [--role admin] [--phone +E164] [--email E] [--zoneinfo Europe/Berlin] [--expires 30d]
import { parseArgs } from 'node:util';
import { ConfigError, loadAppConfig } from '../config/app-config.js';
import { loadEnvFile } from '../config/env-file.js';
import { resolveJwtSecret } from '../auth/jwt-secret.js';
import { signToken } from '../auth/sign-token.js';
import { toE164 } from '../users/users.service.js';

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n`);
  process.exit(1);
}

try {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'user' },
      phone: { type: 'string' },
      email: { type: 'string' },
      zoneinfo: { type: 'string' },
      expires: { type: 'string', default: '30d' },
    },
  });
  if (!values.sub) fail('--sub is required (the user id in your identity provider), e.g. --sub alice --name "Alice"');
  if (values.role !== 'user' && values.role !== 'admin') fail('--role must be user or admin');
  // Every token expires: the server refuses tokens without `exp`.
  const expires = values.expires!.trim();
  if (!/^[1-9]\d*(s|m|h|d|w|y)?$/.test(expires)) fail(`--expires "${values.expires}" must be a positive duration such as 3600, 12h, 30d or 1y (tokens always expire)`);
  const phone = values.phone ? toE164(values.phone) : undefined;
  if (values.phone && !phone) fail(`--phone "${values.phone}" is not a valid international number (E.164, e.g. +15551234567)`);
  loadEnvFile();
  const secret = resolveJwtSecret(loadAppConfig());
  if (!secret) fail('AUTH_JWT_SECRET is not set, so there is no key to sign with (tokens come from your identity provider)');
  const token = signToken(
    secret,
    {
      sub: values.sub,
      ...(values.name ? { name: values.name } : {}),
      role: values.role,
      ...(phone ? { phone_number: phone } : {}),
      ...(values.email ? { email: values.email } : {}),
      ...(values.zoneinfo ? { zoneinfo: values.zoneinfo } : {}),
    },
    /^\d+$/.test(expires) ? Number(expires) : expires,
  );
  process.stdout.write(`${token}\n`);
} catch (error) {
  fail(error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error));
}
