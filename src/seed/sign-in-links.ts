import type { INestApplication } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { resolveJwtSecret } from '../auth/jwt-secret.js';
import { signToken } from '../auth/sign-token.js';
import { DEMO_ADMIN, DEMO_USER, WELCOME_ROOM } from './dev-seed.service.js';

/** Outside production: two ready links with a `?token=` sign-in, printed to the terminal (not the log). */
export function printSignInLinks(app: INestApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const secret = resolveJwtSecret(config);
  if (!secret) return;
  const token = (person: typeof DEMO_USER | typeof DEMO_ADMIN) =>
    signToken(secret, { sub: person.externalId, name: person.displayName, role: person.role }, '30d');
  process.stdout.write(
    [
      '',
      `convai-rooms is running on ${config.publicUrl} (API docs: ${config.publicUrl}/api/docs)`,
      `  room page:       ${config.publicUrl}/rooms/${WELCOME_ROOM.slug}?token=${token(DEMO_USER)}`,
      `  admin dashboard: ${config.publicUrl}/admin?token=${token(DEMO_ADMIN)}`,
      '  (links valid 30 days; `npm run token -- --sub ID --name NAME [--role admin]` prints more)',
      '',
    ].join('\n') + '\n',
  );
}
