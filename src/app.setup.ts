import type { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { join } from 'node:path';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { APP_VERSION, PROJECT_ROOT } from './config/app-version.js';
import { AllExceptionsFilter } from './http/all-exceptions.filter.js';
import { createValidationPipe } from './http/validation.pipe.js';
import { isSignedWebhook } from './webhooks/signed-webhook-paths.js';

/** JSON bodies up to this size; routes that need more (post_call_audio) raise it for themselves. */
export const DEFAULT_BODY_LIMIT = '1mb';
/** Signed webhook deliveries: a post_call_audio body is a whole call as base64 MP3. */
export const WEBHOOK_BODY_LIMIT = '100mb';

/**
 * Everything main.ts and the e2e bootstrap share, so tests run the same server people do.
 * The app must be created with `{ rawBody: true, bodyParser: false }` (webhook signatures need the raw bytes;
 * body parsers are registered here so routes can register larger ones first).
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  // Before the default parsers: signed webhook routes get the raw bytes, up to WEBHOOK_BODY_LIMIT (any content type).
  const rawWebhookBody = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  app.use((request: Request & { rawBody?: Buffer }, response: Response, next: NextFunction) => {
    if (!isSignedWebhook(request)) return next();
    rawWebhookBody(request, response, (error?: unknown) => {
      if (error) return next(error);
      request.rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      next();
    });
  });
  app.useBodyParser('json', { limit: DEFAULT_BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: DEFAULT_BODY_LIMIT, extended: false });
  // Browser-facing layers (cookies, helmet's headers) do nothing for a server-to-server delivery whose auth is its
  // signature; skipping them on the two signed routes is most of their per-request cost (docs/performance.md).
  const parseCookies = cookieParser();
  const securityHeaders = helmet({
    // Pages that embed third-party code (the room page) set their own, narrower policy.
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': config.isProduction ? [] : null } },
    hsts: config.isProduction,
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (isSignedWebhook(request)) return next();
    parseCookies(request, response, (error?: unknown) => (error ? next(error) : securityHeaders(request, response, next)));
  });
  app.setBaseViewsDir(join(PROJECT_ROOT, 'views'));
  app.setViewEngine('ejs');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useWebSocketAdapter(new WsAdapter(app));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('convai-rooms')
      .setDescription('Coaching rooms on ElevenLabs voice agents: conversations, webhooks, insights, tools and scheduled calls.')
      .setVersion(APP_VERSION)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
