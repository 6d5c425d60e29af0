import { ThrottlerStorageService } from '@nestjs/throttler';
import { loadAppConfig } from '../config/app-config.js';
import { AddressRateLimiter } from './address-rate-limiter.js';

// What docs/performance.md "Rate limits" says the library's in-memory storage does (it reads Date.now itself).
describe('AddressRateLimiter on the library storage', () => {
  const realNow = Date.now;
  let now = 0;
  let storage: ThrottlerStorageService;
  let limiter: AddressRateLimiter;
  beforeEach(() => {
    Date.now = () => now;
    storage = new ThrottlerStorageService();
    limiter = new AddressRateLimiter(storage, loadAppConfig({ RATE_LIMIT_WINDOW_SECONDS: '10', RATE_LIMIT_TOKEN_SIGN_IN: '2' }));
  });
  afterEach(() => {
    storage.onApplicationShutdown();
    Date.now = realNow;
  });

  const hitAt = (seconds: number, address = '10.0.0.1') => {
    now = 1_000_000 + seconds * 1000;
    return limiter.hit('tokenSignIn', address);
  };

  it('allows `limit` hits per window; the next one blocks the address for a whole window', async () => {
    expect([await hitAt(0), await hitAt(4)]).toEqual([0, 0]);
    expect(await hitAt(5)).toBe(10); // blocked until 15 s, however old the first hits are
    expect(await hitAt(9)).toBe(6); // refused hits are not counted and do not extend the block
    expect(await hitAt(14)).toBe(1);
    expect([await hitAt(15), await hitAt(16)]).toEqual([0, 0]); // the block is over: counting starts again
    expect(await hitAt(17)).toBe(10);
  });

  it('forgets each hit a window after it was made', async () => {
    expect([await hitAt(0), await hitAt(8)]).toEqual([0, 0]);
    expect(await hitAt(10)).toBe(0); // the hit at 0 s has left the window
    expect(await hitAt(11)).toBe(10);
  });

  it('counts each address on its own, an IPv4-mapped IPv6 address as the IPv4 one', async () => {
    await hitAt(0, '::ffff:10.0.0.2');
    await hitAt(0, '10.0.0.2');
    expect(await hitAt(0, '::ffff:10.0.0.2')).toBe(10);
    expect(await hitAt(0, '10.0.0.3')).toBe(0);
  });
});
