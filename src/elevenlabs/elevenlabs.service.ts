import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ElevenLabsNotConfiguredError, ElevenLabsRequestError } from './elevenlabs.errors.js';

export interface OutboundCallRequest {
  agentId: string;
  agentPhoneNumberId: string;
  toNumber: string;
  /** snake_case conversation_initiation_client_data as ElevenLabs documents it (user_id, dynamic_variables …). */
  userId?: string;
  dynamicVariables?: Record<string, string | number | boolean>;
}

/** Timeout of one dial request; the scheduler's stale-dial threshold must stay above it. */
export const OUTBOUND_CALL_TIMEOUT_SECONDS = 20;

export interface OutboundCallResult {
  success: boolean;
  message: string;
  conversationId: string | null;
  callSid: string | null;
}

export interface ConversationListPage {
  conversations: Array<{ conversationId: string; agentId: string; status: string; startTimeUnixSecs: number }>;
  nextCursor: string | null;
  hasMore: boolean;
}

/** The post_call_transcription `data` shape (snake_case, as webhooks deliver it). */
export type WireConversation = Record<string, unknown> & { conversation_id: string; agent_id: string; status: string };

/**
 * The one place that talks to the ElevenLabs API, through the official SDK pointed at
 * ELEVENLABS_API_BASE_URL. The SDK is loaded lazily (its import takes ~1.5 s) and its own retries are off:
 * callers decide what is safe to retry (never a dial).
 */
@Injectable()
export class ElevenLabsService {
  private readonly logger = new Logger(ElevenLabsService.name);
  private client: Promise<ElevenLabsClient> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get isConfigured(): boolean {
    return Boolean(this.config.elevenlabs.apiKey);
  }

  /** Loads the SDK ahead of the first call (main.ts, once listening), so no request waits ~1.5 s for the import. */
  async warmUp(): Promise<void> {
    if (this.isConfigured) await this.sdk();
  }

  async getSignedUrl(agentId: string): Promise<string> {
    const client = await this.sdk();
    const response = await this.call('signed URL', () => client.conversationalAi.conversations.getSignedUrl({ agentId }));
    return response.signedUrl;
  }

  /** WebRTC conversation token (valid 10 minutes). */
  async getConversationToken(agentId: string): Promise<{ token: string }> {
    const client = await this.sdk();
    const response = await this.call('conversation token', () => client.conversationalAi.conversations.getWebrtcToken({ agentId }));
    return { token: response.token };
  }

  async placeOutboundCall(request: OutboundCallRequest): Promise<OutboundCallResult> {
    const client = await this.sdk();
    const response = await this.call('outbound call', () =>
      client.conversationalAi.twilio.outboundCall(
        {
          agentId: request.agentId,
          agentPhoneNumberId: request.agentPhoneNumberId,
          toNumber: request.toNumber,
          conversationInitiationClientData: {
            userId: request.userId,
            dynamicVariables: request.dynamicVariables,
          },
        },
        // Never retried by the SDK (a retry may ring twice); the dispatcher decides. Shorter than SCHEDULER_STALE_DIAL_MS.
        { maxRetries: 0, timeoutInSeconds: OUTBOUND_CALL_TIMEOUT_SECONDS },
      ),
    );
    return {
      success: response.success,
      message: response.message,
      conversationId: response.conversationId ?? null,
      callSid: response.callSid ?? null,
    };
  }

  /** One conversation in the webhook's wire format, so it can run through the same processing. */
  async getConversation(conversationId: string): Promise<WireConversation> {
    const client = await this.sdk();
    const conversation = await this.call('get conversation', () => client.conversationalAi.conversations.get(conversationId));
    const wire = await import('@elevenlabs/elevenlabs-js/serialization/index.js');
    return wire.GetConversationResponseModel.jsonOrThrow(conversation, {
      unrecognizedObjectKeys: 'passthrough',
    }) as unknown as WireConversation;
  }

  async listConversations(query: {
    agentId?: string;
    cursor?: string;
    pageSize?: number;
    callStartAfterUnix?: number;
    callStartBeforeUnix?: number;
    /** The `user_id` the conversation was started with (outbound dials send the task's). */
    userId?: string;
  }): Promise<ConversationListPage> {
    const client = await this.sdk();
    const page = await this.call('list conversations', () =>
      client.conversationalAi.conversations.list({
        agentId: query.agentId,
        cursor: query.cursor,
        pageSize: query.pageSize ?? 100,
        callStartAfterUnix: query.callStartAfterUnix,
        callStartBeforeUnix: query.callStartBeforeUnix,
        userId: query.userId,
      }),
    );
    return {
      conversations: page.conversations.map((c) => ({
        conversationId: c.conversationId,
        agentId: c.agentId,
        status: c.status,
        startTimeUnixSecs: c.startTimeUnixSecs,
      })),
      nextCursor: page.nextCursor ?? null,
      hasMore: page.hasMore,
    };
  }

  private sdk(): Promise<ElevenLabsClient> {
    const { apiKey, apiBaseUrl } = this.config.elevenlabs;
    if (!apiKey) return Promise.reject(new ElevenLabsNotConfiguredError());
    this.client ??= import('@elevenlabs/elevenlabs-js').then(
      ({ ElevenLabsClient }) => new ElevenLabsClient({ apiKey, baseUrl: apiBaseUrl, maxRetries: 0, timeoutInSeconds: 30 }),
    );
    return this.client;
  }

  private async call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const statusCode = (error as { statusCode?: number }).statusCode;
      const detail = describeUpstreamError(error);
      this.logger.warn(`ElevenLabs ${operation} failed${statusCode ? ` (${statusCode})` : ''}: ${detail}`);
      throw new ElevenLabsRequestError(operation, statusCode, detail);
    }
  }
}

function describeUpstreamError(error: unknown): string {
  const body = (error as { body?: { detail?: unknown } }).body;
  const detail = body?.detail;
  if (detail && typeof detail === 'object' && 'message' in detail) return String((detail as { message: unknown }).message);
  if (Array.isArray(detail)) return detail.map((d) => (d as { msg?: string }).msg ?? JSON.stringify(d)).join('; ');
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
