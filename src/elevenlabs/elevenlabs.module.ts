import { Module } from '@nestjs/common';
import { ElevenLabsService } from './elevenlabs.service.js';
import { WebhookSignatureVerifier } from './webhook-signature.verifier.js';

@Module({
  providers: [ElevenLabsService, WebhookSignatureVerifier],
  exports: [ElevenLabsService, WebhookSignatureVerifier],
})
export class ElevenLabsModule {}
