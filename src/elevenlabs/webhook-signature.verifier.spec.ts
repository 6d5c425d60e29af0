import { signWebhook } from '../../test/support/webhook-signer.js';
import { Clock } from '../clock/clock.js';
import { loadAppConfig } from '../config/app-config.js';
import { WebhookSignatureError, WebhookSignatureVerifier } from './webhook-signature.verifier.js';

const SECRET = 'wsec_unit_test_secret';
const NOW = 1_767_225_905;
const BODY = JSON.stringify({ type: 'post_call_transcription', event_timestamp: NOW, data: { conversation_id: 'conv_1', note: 'Zoë 🚀' } });

class FixedClock extends Clock {
  override now(): Date {
    return new Date(NOW * 1000);
  }
}

function reasonOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof WebhookSignatureError ? error.reason : `unexpected: ${String(error)}`;
  }
}

describe('WebhookSignatureVerifier', () => {
  const verifier = new WebhookSignatureVerifier(loadAppConfig({}), new FixedClock());
  const verify = (body: string | Buffer, header: string | undefined, secret = SECRET) => reasonOf(() => verifier.verify(body, header, secret));

  it('accepts a body signed with the secret, as a string or as raw bytes', () => {
    expect(verify(BODY, signWebhook(BODY, SECRET, NOW))).toBeUndefined();
    expect(verify(Buffer.from(BODY, 'utf8'), signWebhook(BODY, SECRET, NOW))).toBeUndefined();
  });

  it('accepts spaces after the commas and a second v0 entry during rotation', () => {
    const header = signWebhook(BODY, SECRET, NOW);
    expect(verify(BODY, header.replace(',', ', '))).toBeUndefined();
    const rotated = `t=${NOW},v0=${'0'.repeat(64)},${header.split(',')[1]}`;
    expect(verify(BODY, rotated)).toBeUndefined();
  });

  it('rejects a tampered body', () => {
    expect(verify(BODY.replace('conv_1', 'conv_2'), signWebhook(BODY, SECRET, NOW))).toBe('mismatch');
  });

  it('rejects re-serialised JSON (whitespace differs from the signed bytes)', () => {
    expect(verify(JSON.stringify(JSON.parse(BODY), null, 2), signWebhook(BODY, SECRET, NOW))).toBe('mismatch');
  });

  it('rejects a signature made with another secret', () => {
    expect(verify(BODY, signWebhook(BODY, 'wsec_other', NOW))).toBe('mismatch');
  });

  it('rejects a timestamp older than the tolerance (30 minutes by default), accepts one just inside', () => {
    expect(verify(BODY, signWebhook(BODY, SECRET, NOW - 1801))).toBe('stale');
    expect(verify(BODY, signWebhook(BODY, SECRET, NOW - 1799))).toBeUndefined();
  });

  it('rejects a timestamp more than 5 minutes in the future, accepts small skew', () => {
    expect(verify(BODY, signWebhook(BODY, SECRET, NOW + 301))).toBe('future');
    expect(verify(BODY, signWebhook(BODY, SECRET, NOW + 60))).toBeUndefined();
  });

  it.each([
    ['garbage', 'not-a-signature'],
    ['no v0', `t=${NOW}`],
    ['no t', `v0=${'a'.repeat(64)}`],
    ['non-numeric t', `t=abc,v0=${'a'.repeat(64)}`],
  ])('rejects a malformed header (%s)', (_, header) => {
    expect(verify(BODY, header)).toBe('malformed_header');
  });

  it('rejects a v0 that is not 64 hex characters as a mismatch, without throwing on length', () => {
    expect(verify(BODY, `t=${NOW},v0=abcd`)).toBe('mismatch');
  });

  it('rejects a missing or empty header', () => {
    expect(verify(BODY, undefined)).toBe('missing_header');
    expect(verify(BODY, '  ')).toBe('missing_header');
  });
});
