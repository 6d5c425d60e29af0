import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { ConversationsService } from './conversations.service.js';

export const SESSION_EXPIRY_INTERVAL_MS = 60_000;

/** Every minute: sessions left active for more than 2 hours become `expired` (one UPDATE; safe on every instance). */
@Injectable()
export class SessionExpiryJob {
  private readonly logger = new Logger(SessionExpiryJob.name);

  constructor(private readonly conversations: ConversationsService) {}

  @Interval('session-expiry', SESSION_EXPIRY_INTERVAL_MS)
  async run(): Promise<void> {
    try {
      await this.conversations.expireStaleSessions();
    } catch (error) {
      this.logger.warn(`session expiry failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
