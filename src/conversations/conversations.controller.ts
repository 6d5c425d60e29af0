import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators.js';
import { RateLimit } from '../rate-limits/rate-limit.guard.js';
import type { User } from '../users/entities/user.entity.js';
import { ConversationsService } from './conversations.service.js';
import { AddMessagesDto, ListConversationsQuery, SetElevenLabsIdDto, StartConversationDto } from './dto/conversation.dto.js';

/** `:id` is the conversation_sessions uuid (`conversationId` in responses). Another person's id answers 404. */
@ApiTags('conversations')
@ApiBearerAuth()
@Controller('api/conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Post()
  @RateLimit('conversationStart') // per user
  start(@CurrentUser() user: User, @Body() body: StartConversationDto) {
    return this.conversations.start(user, body);
  }

  @Get()
  list(@CurrentUser() user: User, @Query() query: ListConversationsQuery) {
    return this.conversations.list(user, query);
  }

  @Get(':id')
  get(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string) {
    return this.conversations.get(user, id);
  }

  @Post(':id/signed-url')
  @HttpCode(200)
  @RateLimit('signedUrl') // per user
  signedUrl(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string) {
    return this.conversations.freshSignedUrl(user, id);
  }

  @Get(':id/validate')
  validate(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string) {
    return this.conversations.validate(user, id);
  }

  @Post(':id/messages')
  @HttpCode(200)
  addMessages(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string, @Body() body: AddMessagesDto) {
    return this.conversations.addMessages(user, id, body);
  }

  @Patch(':id')
  setElevenLabsId(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string, @Body() body: SetElevenLabsIdDto) {
    return this.conversations.setElevenLabsConversationId(user, id, body.elevenlabsConversationId);
  }

  @Post(':id/end')
  @HttpCode(200)
  end(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string) {
    return this.conversations.end(user, id);
  }
}
