import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ConversationSession } from '../conversations/entities/conversation-session.entity.js';
import { ConversationSummary } from '../conversations/entities/conversation-summary.entity.js';
import type { User } from '../users/entities/user.entity.js';
import { ConversationAudio } from './entities/conversation-audio.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class ConversationAudioService {
  constructor(
    @InjectRepository(ConversationAudio) private readonly audio: Repository<ConversationAudio>,
    @InjectRepository(ConversationSession) private readonly sessions: Repository<ConversationSession>,
    @InjectRepository(ConversationSummary) private readonly summaries: Repository<ConversationSummary>,
  ) {}

  /** The recording if `viewer` may hear it: an admin, or the user of the conversation's session or summary. */
  async findForViewer(id: string, viewer: User): Promise<ConversationAudio | null> {
    const session = UUID.test(id) ? await this.sessions.findOneBy({ id }) : await this.sessions.findOneBy({ elevenlabsConversationId: id });
    const conversationId = UUID.test(id) ? session?.elevenlabsConversationId : id;
    if (!conversationId) return null;
    if (viewer.role !== 'admin') {
      const summary = await this.summaries.findOne({ where: { conversationId }, select: { userId: true } });
      const ownerIds = [session?.userId, summary?.userId].filter(Boolean);
      if (!ownerIds.includes(viewer.id)) return null;
    }
    return this.audio.createQueryBuilder('audio').addSelect('audio.data').where('audio.conversation_id = :conversationId', { conversationId }).getOne();
  }

  /** Whether a recording is stored for the ElevenLabs conversation id (without loading it). */
  async hasRecording(conversationId: string): Promise<boolean> {
    return this.audio.existsBy({ conversationId });
  }
}
