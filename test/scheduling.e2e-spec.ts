import { CallbacksService } from '../src/scheduling/callbacks.service.js';
import { CallbackTask } from '../src/scheduling/entities/callback-task.entity.js';
import { createUser } from './support/factories.js';
import { type TestApp, createTestApp } from './support/test-app.js';

describe('scheduling (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('createCallback stores a pending callback and answers the callback shape', async () => {
    const user = await createUser(t.dataSource, { phoneNumber: '+14155550100' });
    const dueAt = new Date(Date.now() + 3600_000);
    const created = await t.app.get(CallbacksService).createCallback({ userId: user.id, phoneNumber: '+1 415 555 0100', dueAt, reason: 'follow up' });
    expect(created).toMatchObject({ userId: user.id, phoneNumber: '+14155550100', reason: 'follow up', status: 'pending', dueAt: dueAt.toISOString(), nextAttemptAt: dueAt.toISOString(), attempts: 0, maxAttempts: 3, conversationId: null, lastError: null });
    expect(await t.dataSource.getRepository(CallbackTask).countBy({ id: created.id })).toBe(1);
  });
});
