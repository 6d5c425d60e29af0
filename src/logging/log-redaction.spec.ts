import { REDACTED, redactSecrets, redactUrl } from './log-redaction.js';

describe('log redaction', () => {
  it('removes secret__ variables, auth headers and known secret values at any depth', () => {
    const out = redactSecrets(
      {
        headers: { authorization: 'Bearer abc', 'xi-api-key': 'sk_live', 'elevenlabs-signature': 't=1,v0=ff' },
        body: { dynamic_variables: { user_name: 'Zoë', secret__tool_token: 'tt' } },
        msg: 'calling with key sk_live_123 now',
        err: new Error('failed with wsec_abc'),
      },
      ['sk_live_123', 'wsec_abc'],
    ) as Record<string, any>;
    expect(out.headers).toEqual({ authorization: REDACTED, 'xi-api-key': REDACTED, 'elevenlabs-signature': REDACTED });
    expect(out.body.dynamic_variables).toEqual({ user_name: 'Zoë', secret__tool_token: REDACTED });
    expect(out.msg).toBe(`calling with key ${REDACTED} now`);
    expect(out.err.message).toBe(`failed with ${REDACTED}`);
    expect(JSON.stringify(out)).not.toMatch(/sk_live|wsec_abc|Bearer abc|"tt"/);
  });

  it('leaves class instances (raw req/res, which pino serializes itself) untouched instead of walking them', () => {
    class Response {
      socket = { secret__x: 'deep' };
    }
    const response = new Response();
    const out = redactSecrets({ res: response, msg: 'ok' }, []) as Record<string, unknown>;
    expect(out.res).toBe(response);
  });

  it('removes sign-in tokens and signatures from URLs', () => {
    expect(redactUrl('/rooms/welcome?token=eyJhbGci.x.y&x=1')).toBe(`/rooms/welcome?token=${REDACTED}&x=1`);
    expect(redactUrl('wss://h/v1?agent_id=a&conversation_signature=s3cr3t')).toBe(`wss://h/v1?agent_id=a&conversation_signature=${REDACTED}`);
  });
});
