import { BadRequestException, Inject, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { Clock } from '../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { WebhookSignatureError, WebhookSignatureVerifier } from '../elevenlabs/webhook-signature.verifier.js';
import { CALL_SUMMARY_EVENT, callerHashFor, dedupeKeyFor, isKnownEventType } from './dedupe-key.js';
import type { WebhookEventSource } from './entities/webhook-event.entity.js';
import { WebhookEventProcessor } from './webhook-event.processor.js';
import { WebhookEventWriter } from './webhook-event.writer.js';

export interface AcceptedDelivery {
  /** false when the same delivery was stored before (answered 200, not processed again). */
  stored: boolean;
  eventType: string;
  status: 'pending' | 'ignored';
}

/**
 * The fast path of a webhook request: verify the signature on the raw bytes, parse, store with
 * `INSERT … ON CONFLICT (dedupe_key) DO NOTHING` (grouped with concurrent deliveries by WebhookEventWriter),
 * nudge the processor. No processing here.
 */
@Injectable()
export class WebhookIngestService {
  constructor(
    private readonly writer: WebhookEventWriter,
    private readonly verifier: WebhookSignatureVerifier,
    private readonly processor: WebhookEventProcessor,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** An ElevenLabs post-call delivery (`{ type, event_timestamp, data }`). */
  async acceptElevenLabs(rawBody: Buffer | undefined, signature: string | undefined): Promise<AcceptedDelivery> {
    const { raw, body } = this.verifyAndParse(rawBody, signature);
    if (typeof body.type !== 'string' || !body.type.trim()) throw new BadRequestException('body.type is required');
    const type = body.type.trim();
    const data = body.data && typeof body.data === 'object' ? (body.data as Record<string, unknown>) : {};
    const known = isKnownEventType(type);
    const dedupeKey = dedupeKeyFor(type, known ? data.conversation_id : undefined, raw);
    return this.store(type, dedupeKey, callerHashFor(type, data, dedupeKey), raw, known ? 'pending' : 'ignored', 'webhook');
  }

  /** A flat call summary (POST /api/calls), same signature scheme. */
  async acceptCallSummary(rawBody: Buffer | undefined, signature: string | undefined): Promise<AcceptedDelivery> {
    const { raw, body } = this.verifyAndParse(rawBody, signature);
    if (typeof body.call_id !== 'string' || !body.call_id.trim()) throw new BadRequestException('call_id is required');
    const dedupeKey = dedupeKeyFor(CALL_SUMMARY_EVENT, body.call_id, raw);
    return this.store(CALL_SUMMARY_EVENT, dedupeKey, callerHashFor(CALL_SUMMARY_EVENT, body, dedupeKey), raw, 'pending', 'calls_api');
  }

  private verifyAndParse(rawBody: Buffer | undefined, signature: string | undefined): { raw: Buffer; body: Record<string, unknown> } {
    const secret = this.config.elevenlabs.webhookSecret;
    if (!secret) throw new ServiceUnavailableException('ELEVENLABS_WEBHOOK_SECRET is not set: webhooks are disabled until it is configured');
    const raw = Buffer.isBuffer(rawBody) ? rawBody : Buffer.alloc(0);
    try {
      this.verifier.verify(raw, signature, secret);
    } catch (error) {
      if (error instanceof WebhookSignatureError) throw new UnauthorizedException(error.message);
      throw error;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new BadRequestException('request body is not valid JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('request body must be a JSON object');
    return { raw, body: body as Record<string, unknown> };
  }

  private async store(
    eventType: string,
    dedupeKey: string,
    callerHash: number,
    raw: Buffer,
    status: 'pending' | 'ignored',
    source: WebhookEventSource,
  ): Promise<AcceptedDelivery> {
    let stored: boolean;
    try {
      stored = await this.writer.insert({ eventType, dedupeKey, callerHash, source, payload: raw.toString('utf8'), status, receivedAt: this.clock.now() });
    } catch (error) {
      // JSON that PostgreSQL's jsonb refuses (a \u0000 escape): the sender should not retry it as is.
      if ((error as { code?: string }).code === '22P05' || (error as { code?: string }).code === '22P02') throw new BadRequestException('request body cannot be stored as JSON');
      throw error;
    }
    this.processor.noteIntake();
    if (stored && status === 'pending') this.processor.nudge();
    return { stored, eventType, status };
  }

}
