import { generateKeyPairSync } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { User } from '../src/users/entities/user.entity.js';
import { bearer, uniqueSub } from './support/factories.js';
import { type TestApp, createTestApp } from './support/test-app.js';

/** RS256 tokens from an external identity provider, verified with its JWKS (served here on 127.0.0.1). */
describe('auth with AUTH_JWKS_URL (e2e)', () => {
  const provider = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let jwks: Server;
  let t: TestApp;

  const sign = (claims: Record<string, unknown>, options: jwt.SignOptions = {}, key = provider.privateKey) =>
    jwt.sign({ name: 'IdP Person', ...claims }, key, {
      algorithm: 'RS256',
      keyid: 'idp-key-1',
      issuer: 'https://idp.test/',
      audience: 'convai-rooms',
      expiresIn: '5m',
      ...options,
    });

  beforeAll(async () => {
    const jwk = { ...provider.publicKey.export({ format: 'jwk' }), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    t = await createTestApp({
      env: {
        AUTH_JWT_SECRET: undefined,
        AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        AUTH_JWT_ISSUER: 'https://idp.test/',
        AUTH_JWT_AUDIENCE: 'convai-rooms',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    jwks.closeAllConnections();
    await new Promise((resolve) => jwks.close(resolve));
  });

  it('accepts a token signed by the provider and creates the user from its claims', async () => {
    const sub = uniqueSub('idp');
    await request(t.http).get('/api/settings/agent').set(bearer(sign({ sub, role: 'admin', email: 'idp@example.com' }))).expect(200);
    expect(await t.dataSource.getRepository(User).findOneByOrFail({ externalId: sub })).toMatchObject({ role: 'admin', email: 'idp@example.com' });
  });

  it.each([
    ['signed with a key not in the JWKS', () => sign({ sub: 'x' }, {}, stranger.privateKey), /signature is invalid/],
    ['for another audience', () => sign({ sub: 'x' }, { audience: 'someone-else' }), /audience/],
    ['from another issuer', () => sign({ sub: 'x' }, { issuer: 'https://evil.test/' }), /issuer/],
    ['with an unknown key id', () => sign({ sub: 'x' }, { keyid: 'other' }), /unknown key/],
    ['expired', () => sign({ sub: 'x' }, { expiresIn: -5 }), /expired/],
    ['HS256 while no shared secret is configured', () => jwt.sign({ sub: 'x' }, 'guess', { algorithm: 'HS256' }), /HS256 are not accepted/],
  ])('refuses a token %s with 401', async (_, token, message) => {
    const response = await request(t.http).get('/api/settings/agent').set(bearer(token()));
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(message) });
  });
});
