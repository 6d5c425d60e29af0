import { Controller, HttpCode, Inject, Post, Req, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { timingSafeEqual, createHash } from 'node:crypto';
import { Public } from '../auth/auth.decorators.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { PersonalisationService } from '../insights/personalisation.service.js';
import { UsersService } from '../users/users.service.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * ElevenLabs asks this for an inbound phone call's client data (no HMAC on this request: a secret
 * header configured in ElevenLabs, CONVERSATION_INIT_HEADER / CONVERSATION_INIT_SECRET).
 */
@ApiTags('webhooks')
@Public()
@Controller('api/webhooks/elevenlabs')
export class ConversationInitController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly personalisation: PersonalisationService,
    private readonly conversations: ConversationsService,
  ) {}

  @Post('conversation-init')
  @HttpCode(200)
  // The body ({ caller_id, agent_id, called_number, call_sid }) is read by hand after the secret check:
  // ElevenLabs may add fields, and an unknown field must never fail a call.
  async conversationInit(@Req() request: Request) {
    const { header, secret } = this.config.conversationInit;
    if (!secret) throw new ServiceUnavailableException('CONVERSATION_INIT_SECRET is not set: the conversation-init webhook is disabled');
    const given = request.headers[header];
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), digest(secret))) throw new UnauthorizedException(`missing or wrong ${header} header`);

    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as { caller_id?: unknown; agent_id?: unknown; call_sid?: unknown };
    const user = typeof body.caller_id === 'string' && body.caller_id ? await this.users.findByPhoneNumber(body.caller_id) : null;
    const [variables, session] = await Promise.all([
      this.personalisation.variablesFor(user),
      user
        ? this.conversations.openPhoneSession(user, typeof body.agent_id === 'string' ? body.agent_id : null, { origin: 'conversation_init', callSid: body.call_sid ?? null })
        : { session_id: '', secret__tool_token: '' },
    ]);
    return {
      type: 'conversation_initiation_client_data' as const,
      // Every variable the agent may reference is present (an unknown caller's are empty: the tools then answer 401).
      dynamic_variables: { ...variables, ...session },
      ...(user ? { user_id: user.id } : {}),
    };
  }
}
