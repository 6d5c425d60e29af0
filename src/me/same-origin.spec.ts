import { isSameOriginRequest } from './same-origin.js';

const PUBLIC = 'https://coach.example.com';

describe('isSameOriginRequest', () => {
  it('accepts the Origin of the host the request reached, or of PUBLIC_URL', () => {
    expect(isSameOriginRequest({ origin: 'http://127.0.0.1:3201', host: '127.0.0.1:3201' }, 'http', PUBLIC)).toBe(true);
    expect(isSameOriginRequest({ origin: 'https://coach.example.com', host: 'internal:3000' }, 'http', PUBLIC)).toBe(true);
  });

  it('refuses another site, another port or scheme, and a missing or garbled origin', () => {
    expect(isSameOriginRequest({ origin: 'https://evil.example', host: 'coach.example.com' }, 'https', PUBLIC)).toBe(false);
    expect(isSameOriginRequest({ origin: 'http://127.0.0.1:9999', host: '127.0.0.1:3201' }, 'http', PUBLIC)).toBe(false);
    expect(isSameOriginRequest({ origin: 'http://coach.example.com', host: 'x' }, 'http', PUBLIC)).toBe(false);
    expect(isSameOriginRequest({ host: '127.0.0.1:3201' }, 'http', PUBLIC)).toBe(false);
    expect(isSameOriginRequest({ origin: 'not a url', host: '127.0.0.1:3201' }, 'http', PUBLIC)).toBe(false);
  });

  it('falls back to the Referer when there is no Origin (or it is "null")', () => {
    expect(isSameOriginRequest({ referer: 'http://127.0.0.1:3201/me', host: '127.0.0.1:3201' }, 'http', PUBLIC)).toBe(true);
    expect(isSameOriginRequest({ origin: 'null', referer: 'https://evil.example/x', host: '127.0.0.1:3201' }, 'http', PUBLIC)).toBe(false);
  });
});
