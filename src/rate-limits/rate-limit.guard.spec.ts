import { Controller, Global, type INestApplication, Module, Post, Req, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { Request } from 'express';
import request from 'supertest';
import { APP_CONFIG, loadAppConfig } from '../config/app-config.js';
import { AllExceptionsFilter } from '../http/all-exceptions.filter.js';
import type { ToolRequest } from '../tools/tool-caller.js';
import { RateLimit } from './rate-limit.guard.js';
import { RateLimitsModule } from './rate-limits.module.js';

/** Stands in for the auth guards that run before the limit: the JWT user or the checked tool token. */
class FakeAuthGuard {
  canActivate(context: { switchToHttp(): { getRequest(): Request & ToolRequest & { user?: { id: string } } } }): boolean {
    const req = context.switchToHttp().getRequest();
    const user = req.header('x-user');
    if (user) req.user = { id: user };
    if (req.header('x-convai-tool-token')) req.toolCaller = {} as ToolRequest['toolCaller'];
    return true;
  }
}

@UseGuards(FakeAuthGuard)
@Controller()
class LimitedController {
  @Post('start')
  @RateLimit('conversationStart')
  start() {
    return { ok: true };
  }

  @Post('tool-a')
  @RateLimit('tools')
  toolA() {
    return { ok: true };
  }

  @Post('tool-b')
  @RateLimit('tools')
  toolB(@Req() req: Request) {
    return { ok: Boolean(req) };
  }

  @Post('free')
  free() {
    return { ok: true };
  }
}

@Global()
@Module({ providers: [{ provide: APP_CONFIG, useValue: loadAppConfig({ RATE_LIMIT_CONVERSATION_START: '2', RATE_LIMIT_TOOLS: '3' }) }], exports: [APP_CONFIG] })
class TestConfigModule {}

// Runs the real @nestjs/throttler (under Jest: the ES module converted from its dist, see test/support/throttler-esm.mjs).
describe('RateLimitGuard (@nestjs/throttler)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [TestConfigModule, RateLimitsModule], controllers: [LimitedController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new AllExceptionsFilter());
    await app.init();
  });
  afterAll(() => app.close());

  const post = (path: string, headers: Record<string, string> = {}) => request(app.getHttpServer()).post(path).set(headers);

  it('counts a route against its own named limit only, per user, and answers 429 with Retry-After', async () => {
    const alice = { 'x-user': 'alice' };
    expect((await post('/start', alice)).status).toBe(201);
    expect((await post('/start', alice)).status).toBe(201);
    const refused = await post('/start', alice);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'too many requests: try again in 60 s' });
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers).not.toHaveProperty('retry-after-conversationstart');
    expect((await post('/start', { 'x-user': 'bob' })).status).toBe(201);
    // The other limits were skipped on /start (SkipThrottle metadata read through the shared Reflector).
    expect((await post('/tool-a', alice)).status).toBe(201);
  });

  it('counts the tools per tool token across the tool routes, keyed by its hash', async () => {
    const token = { 'x-convai-tool-token': 'raw-secret-tool-token' };
    expect((await post('/tool-a', token)).status).toBe(201);
    expect((await post('/tool-b', token)).status).toBe(201);
    expect((await post('/tool-a', token)).status).toBe(201);
    expect((await post('/tool-b', token)).status).toBe(429);
    expect((await post('/tool-a', { 'x-convai-tool-token': 'another-token' })).status).toBe(201);
    const storage = app.get<ThrottlerStorageService>(ThrottlerStorage);
    expect(storage).toBeInstanceOf(ThrottlerStorageService);
    const keys = [...storage.storage.keys()];
    expect(keys).toContain('conversationStart:user:alice');
    expect(keys.some((key) => key.startsWith('tools:token:'))).toBe(true);
    expect(keys.join(' ')).not.toContain('raw-secret-tool-token');
  });

  it('falls back to the client address and leaves routes without @RateLimit alone', async () => {
    for (let i = 0; i < 2; i++) expect((await post('/start')).status).toBe(201);
    expect((await post('/start')).status).toBe(429);
    const storage = app.get<ThrottlerStorageService>(ThrottlerStorage);
    expect([...storage.storage.keys()]).toContain('conversationStart:ip:127.0.0.1');
    for (let i = 0; i < 10; i++) expect((await post('/free')).status).toBe(201);
  });
});
