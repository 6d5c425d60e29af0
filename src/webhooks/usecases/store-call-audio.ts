import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConversationAudio } from '../entities/conversation-audio.entity.js';

/**
 * `post_call_audio`: decodes the base64 MP3 into `conversation_audio` (one row per conversation) and
 * replaces the base64 in the stored delivery by a note, so the webhook_events table stays small.
 */
@Injectable()
export class StoreCallAudio {
  async execute(eventId: string, data: Record<string, unknown>, manager: EntityManager): Promise<void> {
    const conversationId = typeof data.conversation_id === 'string' ? data.conversation_id : '';
    if (!conversationId) throw new Error('post_call_audio without data.conversation_id');
    if (typeof data.full_audio !== 'string' || !data.full_audio) throw new Error('post_call_audio without data.full_audio');
    const bytes = Buffer.from(data.full_audio, 'base64');
    await manager
      .createQueryBuilder()
      .insert()
      .into(ConversationAudio)
      .values({ conversationId, agentId: typeof data.agent_id === 'string' ? data.agent_id : null, contentType: 'audio/mpeg', sizeBytes: bytes.length, data: bytes })
      .orUpdate(['agent_id', 'content_type', 'size_bytes', 'data', 'updated_at'], ['conversation_id'])
      .execute();
    await manager.query(`UPDATE webhook_events SET payload = jsonb_set(payload, '{data,full_audio}', to_jsonb($2::text)) WHERE id = $1`, [
      eventId,
      `[${bytes.length} bytes, stored in conversation_audio]`,
    ]);
  }
}
