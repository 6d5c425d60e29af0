import { ElevenLabsNotConfiguredError, ElevenLabsRequestError } from '../src/elevenlabs/elevenlabs.errors.js';
import { ElevenLabsService } from '../src/elevenlabs/elevenlabs.service.js';
import { loadAppConfig } from '../src/config/app-config.js';
import { FakeElevenLabs, wireConversation } from './support/fake-elevenlabs.js';

describe('ElevenLabsService against the fake ElevenLabs API (wire format)', () => {
  let fake: FakeElevenLabs;
  let service: ElevenLabsService;

  beforeAll(async () => {
    fake = await new FakeElevenLabs().start();
    service = new ElevenLabsService(loadAppConfig({ ELEVENLABS_API_KEY: fake.apiKey, ELEVENLABS_API_BASE_URL: fake.url }));
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.stop());

  it('fetches a signed URL with the xi-api-key header and the agent id in the query', async () => {
    const url = await service.getSignedUrl('agent_abc');
    expect(url).toMatch(/^wss:\/\/api\.elevenlabs\.io\/v1\/convai\/conversation\?agent_id=agent_abc&conversation_signature=/);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/v1/convai/conversation/get-signed-url', query: { agent_id: 'agent_abc' } });
    expect(fake.requests[0].headers['xi-api-key']).toBe(fake.apiKey);
  });

  it('fetches a WebRTC conversation token', async () => {
    const { token } = await service.getConversationToken('agent_abc');
    expect(token).toMatch(/^lk_/);
    expect(fake.requests[0]).toMatchObject({ path: '/v1/convai/conversation/token', query: { agent_id: 'agent_abc' } });
  });

  it('places an outbound call with the snake_case body and reads the camelCase callSid back', async () => {
    const result = await service.placeOutboundCall({
      agentId: 'agent_abc',
      agentPhoneNumberId: 'phnum_1',
      toNumber: '+15552223333',
      userId: 'user-1',
      dynamicVariables: { user_name: 'Maria', secret__tool_token: 'tt' },
    });
    expect(result).toEqual({ success: true, message: 'Call initiated', conversationId: expect.stringMatching(/^conv_/), callSid: expect.stringMatching(/^CA/) });
    expect(fake.requests[0].body).toEqual({
      agent_id: 'agent_abc',
      agent_phone_number_id: 'phnum_1',
      to_number: '+15552223333',
      conversation_initiation_client_data: { user_id: 'user-1', dynamic_variables: { user_name: 'Maria', secret__tool_token: 'tt' } },
    });
  });

  it('never retries a dial: one 500 is one request and a 502 error', async () => {
    fake.fail({ match: /^POST \/v1\/convai\/twilio\/outbound-call$/, status: 500, times: 1 });
    const error = await service.placeOutboundCall({ agentId: 'a', agentPhoneNumberId: 'p', toNumber: '+15552223333' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ElevenLabsRequestError);
    expect(error).toMatchObject({ status: 502, upstreamStatus: 500, retryable: true });
    expect(fake.requestsTo(/outbound-call/)).toHaveLength(1);
  });

  it.each([
    [429, 503, /rate limiting/, true],
    [401, 502, /Invalid API key/, false],
    [422, 502, /not a valid phone number/, false],
  ])('maps an upstream %s to %s with a message', async (upstream, status, message, retryable) => {
    fake.fail({ match: /get-signed-url/, status: upstream as 429 });
    const error = (await service.getSignedUrl('agent_abc').catch((e: unknown) => e)) as ElevenLabsRequestError;
    expect(error).toBeInstanceOf(ElevenLabsRequestError);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
    expect(error.retryable).toBe(retryable);
  });

  it('returns a conversation in the webhook wire format (snake_case), ready for the same processing', async () => {
    fake.addConversation(wireConversation({ conversation_id: 'conv_wire', metadata: { start_time_unix_secs: 1767225800, call_duration_secs: 93 } }));
    const conversation = await service.getConversation('conv_wire');
    expect(conversation).toMatchObject({
      conversation_id: 'conv_wire',
      agent_id: 'agent_test',
      status: 'done',
      metadata: { start_time_unix_secs: 1767225800, call_duration_secs: 93 },
      analysis: { transcript_summary: 'The person wants to sleep better.', call_successful: 'success' },
    });
    expect((conversation.transcript as Array<Record<string, unknown>>)[1]).toMatchObject({ role: 'user', time_in_call_secs: 4 });
  });

  it('pages through the conversation list with the cursor', async () => {
    for (let i = 0; i < 5; i++) {
      fake.addConversation(wireConversation({ conversation_id: `conv_${i}`, metadata: { start_time_unix_secs: 1767225800 + i, call_duration_secs: 10 } }));
    }
    const first = await service.listConversations({ agentId: 'agent_test', pageSize: 3 });
    expect(first.conversations.map((c) => c.conversationId)).toEqual(['conv_4', 'conv_3', 'conv_2']);
    expect(first.hasMore).toBe(true);
    const second = await service.listConversations({ agentId: 'agent_test', pageSize: 3, cursor: first.nextCursor! });
    expect(second.conversations.map((c) => c.conversationId)).toEqual(['conv_1', 'conv_0']);
    expect(second).toMatchObject({ hasMore: false, nextCursor: null });
  });

  it('answers 503 naming ELEVENLABS_API_KEY when no key is configured, without calling out', async () => {
    const unconfigured = new ElevenLabsService(loadAppConfig({ ELEVENLABS_API_BASE_URL: fake.url }));
    const error = await unconfigured.getSignedUrl('agent_abc').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ElevenLabsNotConfiguredError);
    expect(error).toMatchObject({ status: 503, message: expect.stringMatching(/ELEVENLABS_API_KEY/) });
    expect(fake.requests).toHaveLength(0);
  });
});
