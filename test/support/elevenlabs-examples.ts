/** The example post_call_transcription of ../shared/elevenlabs.md §2.1, verbatim, with the conversation id as a parameter. */
export function examplePostCallTranscription(conversationId = 'conv_01jzexample', extraDynamicVariables: Record<string, unknown> = {}) {
  return {
    type: 'post_call_transcription',
    event_timestamp: 1767225905,
    data: {
      agent_id: 'agent_01jzexample', agent_name: 'Appointment reminder',
      conversation_id: conversationId, status: 'done', user_id: 'contact_4821',
      branch_id: null, version_id: null, environment: 'production',
      has_audio: true, has_user_audio: true, has_response_audio: true,
      transcript: [
        { role: 'agent', message: "Hi Maria, this is Acme Dental calling about tomorrow's 10am visit.",
          time_in_call_secs: 0, tool_calls: [], tool_results: [], interrupted: false },
        { role: 'user', message: "Yes, I'll be there.", time_in_call_secs: 5 },
        { role: 'agent', message: 'Great, let me confirm that.', time_in_call_secs: 7,
          tool_calls: [{ type: 'webhook', request_id: 'call_x1', tool_name: 'confirm_appointment',
            params_as_json: '{"appointment_id":"apt_77"}', tool_has_been_called: true,
            tool_details: { type: 'webhook', method: 'POST', url: 'https://api.example.com/el/tools/confirm',
              body: '{"appointment_id":"apt_77"}' } }],
          tool_results: [{ type: 'webhook', request_id: 'call_x1', tool_name: 'confirm_appointment',
            result_value: '{"ok":true}', is_error: false, tool_has_been_called: true, tool_latency_secs: 0.41 }] },
      ],
      metadata: {
        start_time_unix_secs: 1767225800, accepted_time_unix_secs: 1767225806,
        call_duration_secs: 93, cost: 612, termination_reason: 'Call ended by remote party',
        conversation_initiation_source: 'twilio',
        phone_call: { type: 'twilio', direction: 'outbound', phone_number_id: 'phnum_01jzexample',
          agent_number: '+15550001111', external_number: '+15552223333',
          call_sid: 'CA0123456789abcdef0123456789abcdef', stream_sid: 'MZ0123456789abcdef0123456789abcdef' },
        batch_call: null, error: null,
      },
      analysis: {
        call_successful: 'success',
        transcript_summary: 'The agent reminded Maria of her appointment and she confirmed.',
        call_summary_title: 'Appointment confirmed',
        evaluation_criteria_results: { confirmed: { criteria_id: 'confirmed', result: 'success', rationale: 'Caller confirmed.' } },
        data_collection_results: { attending: { data_collection_id: 'attending', value: true, rationale: 'Caller said yes.' } },
      },
      conversation_initiation_client_data: {
        conversation_config_override: { agent: null, tts: null, conversation: null, turn: null },
        custom_llm_extra_body: {}, user_id: 'contact_4821', source_info: { source: null, version: null },
        dynamic_variables: {
          customer_name: 'Maria', appointment_id: 'apt_77',
          system__agent_id: 'agent_01jzexample', system__conversation_id: conversationId,
          system__caller_id: '+15550001111', system__called_number: '+15552223333',
          system__call_duration_secs: 93, system__time_utc: '2026-01-01T00:03:20.123456+00:00',
          ...extraDynamicVariables,
        },
      },
    },
  };
}
