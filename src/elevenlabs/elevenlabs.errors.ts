import { DomainError } from '../http/domain-error.js';

/** No API key configured: the features that need ElevenLabs answer 503 and say why. */
export class ElevenLabsNotConfiguredError extends DomainError {
  readonly status = 503;
  readonly code = 'elevenlabs_not_configured';
  constructor(what = 'ELEVENLABS_API_KEY') {
    super(`${what} is not set: this server cannot reach ElevenLabs until it is configured`);
  }
}

/** ElevenLabs answered with an error or not at all. 429 and 5xx/timeouts are retryable. */
export class ElevenLabsRequestError extends DomainError {
  readonly code = 'elevenlabs_request_failed';
  readonly status: number;
  constructor(
    readonly operation: string,
    readonly upstreamStatus: number | undefined,
    detail: string,
  ) {
    super(
      upstreamStatus === 429
        ? `ElevenLabs is rate limiting requests (${operation}); try again shortly`
        : `ElevenLabs ${operation} failed${upstreamStatus ? ` with ${upstreamStatus}` : ''}: ${detail}`,
    );
    // 429 → 503 (try later); anything else upstream → 502 (bad gateway).
    this.status = upstreamStatus === 429 ? 503 : 502;
  }

  get retryable(): boolean {
    return this.upstreamStatus === undefined || this.upstreamStatus === 408 || this.upstreamStatus === 429 || this.upstreamStatus >= 500;
  }
}
