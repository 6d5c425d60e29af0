import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { APP_CONFIG, type AppConfig, loadAppConfig } from '../../src/config/app-config.js';
import { FakeElevenLabs } from './fake-elevenlabs.js';

export const TEST_JWT_SECRET = 'test-jwt-secret-for-e2e-specs-only';
export const TEST_WEBHOOK_SECRET = 'wsec_test_webhook_secret';
export const TEST_INIT_SECRET = 'init-secret-for-tests';

export interface TestApp {
  app: NestExpressApplication;
  http: Server;
  dataSource: DataSource;
  config: AppConfig;
  fake: FakeElevenLabs;
  /** Base URL when started with `listen: true` (WebSocket tests). */
  url: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra or overriding environment variables (values of undefined remove a default). */
  env?: Record<string, string | undefined>;
  /** Listen on a random 127.0.0.1 port (needed for WebSockets and real HTTP clients). */
  listen?: boolean;
  /** Adjust providers before the app is compiled (e.g. overrideProvider). */
  customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Reuse a fake ElevenLabs (e.g. shared by two instances). */
  fake?: FakeElevenLabs;
}

/**
 * Boots the real app (same setup as main.ts) against the test database prepared by global-setup,
 * running the real migrations, with ElevenLabs pointed at a fake on 127.0.0.1.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const fake = options.fake ?? (await new FakeElevenLabs().start());
  const env: Record<string, string | undefined> = {
    DATABASE_URL: process.env.DATABASE_URL,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ELEVENLABS_API_KEY: fake.apiKey,
    ELEVENLABS_API_BASE_URL: fake.url,
    ELEVENLABS_AGENT_ID: 'agent_test',
    ELEVENLABS_PHONE_NUMBER_ID: 'phnum_test',
    ELEVENLABS_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    CONVERSATION_INIT_SECRET: TEST_INIT_SECRET,
    SCHEDULER_ENABLED: 'false',
    EMBEDDED_DB_DIR: '/nonexistent/never-used-in-tests/db',
    ...options.env,
  };
  const config = loadAppConfig(env);
  let builder = Test.createTestingModule({ imports: [AppModule] }).overrideProvider(APP_CONFIG).useValue(config);
  if (options.customize) builder = options.customize(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ rawBody: true, bodyParser: false, logger: ['error', 'warn'] });
  configureApp(app);
  await app.init();
  let url = '';
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
  }
  return {
    app,
    http: app.getHttpServer(),
    dataSource: app.get(DataSource),
    config,
    fake,
    url,
    async close() {
      await app.close();
      if (!options.fake) await fake.stop();
    },
  };
}

export async function closeAll(...apps: Array<TestApp | INestApplication | undefined>): Promise<void> {
  for (const app of apps) await app?.close();
}
