import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FaultRule {
  /** Matches `METHOD /path` (no query), e.g. /^POST \/v1\/convai\/twilio/ */
  match: RegExp;
  status?: 401 | 403 | 404 | 422 | 429 | 500 | 502 | 503;
  delayMs?: number;
  /** Handle the request normally (an outbound call is placed and listed), then cut the connection instead of answering. */
  drop?: boolean;
  /** Cut the connection before handling the request (nothing is placed). */
  dropBeforeHandling?: boolean;
  /** How many matching requests this applies to (default: until cleared). */
  times?: number;
}

const ERROR_BODIES: Record<number, unknown> = {
  401: { detail: { status: 'invalid_api_key', message: 'Invalid API key' } },
  403: { detail: { status: 'only_for_creator+', message: 'This feature is not available on your plan' } },
  404: { detail: { status: 'not_found', message: 'Not found' } },
  422: { detail: [{ loc: ['body', 'to_number'], msg: 'value is not a valid phone number', type: 'value_error' }] },
  429: { detail: { status: 'too_many_concurrent_requests', message: 'Too many concurrent requests' } },
  500: { detail: { status: 'internal_error', message: 'Internal server error' } },
  502: { detail: { status: 'bad_gateway', message: 'Bad gateway' } },
  503: { detail: { status: 'system_busy', message: 'System busy' } },
};

/** A conversation as GET /v1/convai/conversations/{id} returns it (and as post_call_transcription carries it). */
export function wireConversation(
  overrides: Record<string, unknown> & { conversation_id: string },
): Record<string, unknown> & { conversation_id: string } {
  return {
    agent_id: 'agent_test',
    agent_name: 'Coach',
    status: 'done',
    user_id: null,
    has_audio: true,
    has_user_audio: true,
    has_response_audio: true,
    has_auxiliary_audio: false,
    transcript: [
      { role: 'agent', message: 'Hi, how can I help today?', time_in_call_secs: 0 },
      { role: 'user', message: 'I want to sleep better.', time_in_call_secs: 4 },
    ],
    metadata: { start_time_unix_secs: Math.floor(Date.now() / 1000) - 120, call_duration_secs: 95 },
    analysis: {
      call_successful: 'success',
      transcript_summary: 'The person wants to sleep better.',
      call_summary_title: 'Sleep goals',
      evaluation_criteria_results: {},
      data_collection_results: {},
    },
    conversation_initiation_client_data: { dynamic_variables: {} },
    ...overrides,
  };
}

/**
 * A fake ElevenLabs API on 127.0.0.1 (random port) speaking the documented wire format (snake_case;
 * `callSid` in the Twilio response). Records every request; can be told to fail or answer slowly.
 */
export class FakeElevenLabs {
  readonly requests: RecordedRequest[] = [];
  readonly conversations = new Map<string, Record<string, unknown>>();
  readonly audio = new Map<string, Buffer>();
  /** Every outbound call placed (Twilio or SIP), in order, with the conversation id it answered. */
  readonly outboundCalls: Array<{ body: Record<string, unknown>; conversationId: string }> = [];
  apiKey = 'xi_test_key';
  /** Added to every response. */
  delayMs = 0;
  /** Source of the start time of calls it places (tests with a fake clock point it there). */
  now: () => number = () => Date.now();
  private faults: FaultRule[] = [];
  private server: Server | undefined;

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('fake ElevenLabs is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  fail(rule: FaultRule): void {
    this.faults.push({ ...rule });
  }

  reset(): void {
    this.requests.length = 0;
    this.faults = [];
    this.conversations.clear();
    this.audio.clear();
    this.outboundCalls.length = 0;
    this.delayMs = 0;
  }

  addConversation(conversation: Record<string, unknown> & { conversation_id: string }): void {
    this.conversations.set(conversation.conversation_id, conversation);
  }

  requestsTo(pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => pattern.test(`${r.method} ${r.path}`));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep the text */
    }
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length > 1 ? all : all[0];
    }
    this.requests.push({ method: request.method ?? 'GET', path: url.pathname, query, headers: request.headers, body });

    const signature = `${request.method} ${url.pathname}`;
    const fault = this.faults.find((rule) => rule.match.test(signature) && (rule.times === undefined || rule.times > 0));
    if (fault?.times !== undefined) fault.times -= 1;
    const delay = this.delayMs + (fault?.delayMs ?? 0);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    if (fault?.status) return this.json(response, fault.status, ERROR_BODIES[fault.status]);
    if (fault?.dropBeforeHandling) return void request.socket.destroy();
    if (request.headers['xi-api-key'] !== this.apiKey) return this.json(response, 401, ERROR_BODIES[401]);
    if (fault?.drop) {
      this.route(request.method ?? 'GET', url, body as Record<string, unknown> | undefined, { writeHead: () => ({ end: () => undefined }) } as unknown as ServerResponse);
      request.socket.destroy();
      return;
    }
    this.route(request.method ?? 'GET', url, body as Record<string, unknown> | undefined, response);
  }

  private route(method: string, url: URL, body: Record<string, unknown> | undefined, response: ServerResponse): void {
    const path = url.pathname;
    const agentId = url.searchParams.get('agent_id');
    if (method === 'GET' && path === '/v1/convai/conversation/get-signed-url') {
      if (!agentId) return this.json(response, 422, { detail: [{ loc: ['query', 'agent_id'], msg: 'field required', type: 'missing' }] });
      return this.json(response, 200, {
        signed_url: `wss://api.elevenlabs.io/v1/convai/conversation?agent_id=${agentId}&conversation_signature=sig_${randomUUID()}`,
      });
    }
    if (method === 'GET' && path === '/v1/convai/conversation/token') {
      return this.json(response, 200, { token: `lk_${randomUUID()}`, conversation_id: `conv_${randomUUID().replace(/-/g, '')}` });
    }
    if (method === 'POST' && (path === '/v1/convai/twilio/outbound-call' || path === '/v1/convai/sip-trunk/outbound-call')) {
      if (!body?.agent_id || !body?.agent_phone_number_id || !body?.to_number) return this.json(response, 422, ERROR_BODIES[422]);
      const conversationId = `conv_${randomUUID().replace(/-/g, '')}`;
      const twilio = path.includes('twilio');
      const callSid = `CA${randomUUID().replace(/-/g, '')}`;
      const clientData = (body.conversation_initiation_client_data ?? {}) as Record<string, unknown>;
      this.outboundCalls.push({ body, conversationId });
      // The call now exists at ElevenLabs: listed (by agent, user_id, start time) and readable, like a real one.
      this.addConversation(
        wireConversation({
          conversation_id: conversationId,
          agent_id: body.agent_id,
          status: 'initiated',
          user_id: clientData.user_id ?? null,
          transcript: [],
          metadata: {
            start_time_unix_secs: Math.floor(this.now() / 1000),
            call_duration_secs: 0,
            phone_call: {
              type: 'twilio',
              direction: 'outbound',
              phone_number_id: body.agent_phone_number_id,
              agent_number: '+15550001111',
              external_number: body.to_number,
              call_sid: callSid,
              stream_sid: `MZ${randomUUID().replace(/-/g, '')}`,
            },
          },
          conversation_initiation_client_data: clientData,
        }),
      );
      return this.json(response, 200, {
        success: true,
        message: 'Call initiated',
        conversation_id: conversationId,
        ...(twilio ? { callSid } : { sip_call_id: randomUUID() }),
      });
    }
    if (method === 'GET' && path === '/v1/convai/conversations') return this.listConversations(url, response);
    const audio = /^\/v1\/convai\/conversations\/([^/]+)\/audio$/.exec(path);
    if (method === 'GET' && audio) {
      const bytes = this.audio.get(decodeURIComponent(audio[1]));
      if (!bytes) return this.json(response, 404, ERROR_BODIES[404]);
      response.writeHead(200, { 'content-type': 'audio/mpeg' }).end(bytes);
      return;
    }
    const one = /^\/v1\/convai\/conversations\/([^/]+)$/.exec(path);
    if (method === 'GET' && one) {
      const conversation = this.conversations.get(decodeURIComponent(one[1]));
      return conversation ? this.json(response, 200, conversation) : this.json(response, 404, ERROR_BODIES[404]);
    }
    this.json(response, 404, { detail: { status: 'not_found', message: `fake ElevenLabs has no ${method} ${path}` } });
  }

  /** Newest first, cursor = index of the next item; filters agent_id, user_id, call_start_after_unix and call_start_before_unix. */
  private listConversations(url: URL, response: ServerResponse): void {
    const agentId = url.searchParams.get('agent_id');
    const userId = url.searchParams.get('user_id');
    const after = Number(url.searchParams.get('call_start_after_unix') ?? 0);
    const before = Number(url.searchParams.get('call_start_before_unix') ?? Number.MAX_SAFE_INTEGER);
    const pageSize = Math.min(Number(url.searchParams.get('page_size') ?? 30), 100);
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const all = [...this.conversations.values()]
      .filter((c) => !agentId || c.agent_id === agentId)
      .filter((c) => !userId || c.user_id === userId || (c.conversation_initiation_client_data as Record<string, unknown> | undefined)?.user_id === userId)
      .filter((c) => startTime(c) >= after && startTime(c) <= before)
      .sort((a, b) => startTime(b) - startTime(a));
    const page = all.slice(start, start + pageSize);
    const hasMore = start + pageSize < all.length;
    this.json(response, 200, {
      conversations: page.map((c) => {
        const analysis = (c.analysis ?? {}) as Record<string, unknown>;
        const metadata = (c.metadata ?? {}) as Record<string, unknown>;
        return {
          agent_id: c.agent_id,
          agent_name: c.agent_name ?? null,
          conversation_id: c.conversation_id,
          start_time_unix_secs: startTime(c),
          call_duration_secs: metadata.call_duration_secs ?? 0,
          message_count: Array.isArray(c.transcript) ? c.transcript.length : 0,
          status: c.status,
          call_successful: analysis.call_successful ?? 'unknown',
          transcript_summary: analysis.transcript_summary ?? null,
          call_summary_title: analysis.call_summary_title ?? null,
        };
      }),
      next_cursor: hasMore ? String(start + pageSize) : null,
      has_more: hasMore,
    });
  }

  private json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

function startTime(conversation: Record<string, unknown>): number {
  return Number((conversation.metadata as Record<string, unknown> | undefined)?.start_time_unix_secs ?? 0);
}
