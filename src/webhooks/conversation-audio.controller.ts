import { Controller, Get, NotFoundException, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators.js';
import type { User } from '../users/entities/user.entity.js';
import { ConversationAudioService } from './conversation-audio.service.js';

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('api/conversations')
export class ConversationAudioController {
  constructor(private readonly audio: ConversationAudioService) {}

  /**
   * The call recording (audio/mpeg). `:id` is the ElevenLabs conversation id or the session's uuid
   * (`conversation_sessions.id`). Owner or admin; anyone else gets 404, as for a missing recording.
   */
  @Get(':id/audio')
  async audioOf(@Param('id') id: string, @CurrentUser() user: User): Promise<StreamableFile> {
    const audio = await this.audio.findForViewer(id, user);
    if (!audio) throw new NotFoundException('no recording for this conversation');
    return new StreamableFile(audio.data, { type: audio.contentType, length: audio.data.length, disposition: `inline; filename="${audio.conversationId}.mp3"` });
  }
}
