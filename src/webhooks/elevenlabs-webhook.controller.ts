import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { WebhookIngestService } from './webhook-ingest.service.js';

type RawRequest = Request & { rawBody?: Buffer };

/** Signed deliveries: verified on the raw bytes, stored, answered 200; processed afterwards. */
@ApiTags('webhooks')
@Public()
@Controller('api')
export class ElevenLabsWebhookController {
  constructor(private readonly ingest: WebhookIngestService) {}

  /** post_call_transcription, post_call_audio, call_initiation_failure (others: stored as ignored). */
  @Post('webhooks/elevenlabs')
  @HttpCode(200)
  async elevenlabs(@Req() request: RawRequest, @Headers('elevenlabs-signature') signature: string | undefined) {
    const accepted = await this.ingest.acceptElevenLabs(request.rawBody, signature);
    return { received: true, duplicate: !accepted.stored, status: accepted.status };
  }

  /** The dashboard seed's flat call summary, same signature scheme. */
  @Post('calls')
  @HttpCode(200)
  async calls(@Req() request: RawRequest, @Headers('elevenlabs-signature') signature: string | undefined) {
    const accepted = await this.ingest.acceptCallSummary(request.rawBody, signature);
    return { received: true, duplicate: !accepted.stored, status: accepted.status };
  }
}

