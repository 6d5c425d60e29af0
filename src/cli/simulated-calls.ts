import { randomBytes } from 'node:crypto';

/**
 * Realistic sample traffic for `npm run simulate`: finished calls in the two formats the server receives
 * (ElevenLabs `post_call_transcription` and the flat `/api/calls` summary) plus a few `call_initiation_failure`s.
 * Pure: everything comes from the options and the seeded random source, so a seed reproduces a run.
 */

export interface SimulatedPerson {
  /** The person's id in the identity provider (`sub`), sent as the call's `user_id`. */
  externalId: string;
  name: string;
  phoneNumber: string;
  timezone: string;
}

export interface Delivery {
  path: '/api/webhooks/elevenlabs' | '/api/calls';
  kind: 'post_call_transcription' | 'call_summary' | 'call_initiation_failure';
  /** conversation_id / call_id */
  id: string;
  person: SimulatedPerson;
  startedAt: Date;
  outcome: string | null;
  body: Record<string, unknown>;
}

export interface SimulationOptions {
  calls: number;
  days: number;
  people: number;
  now: Date;
  seed: number;
}

/** The agent's own number (inbound calls land here, outbound ones come from it). A valid US number. */
export const AGENT_NUMBER = '+12025550100';
export const SIMULATED_AGENT_ID = 'agent_simulated_coach';

const NAMES: Array<[string, string]> = [
  ['Maria', 'Lopez'], ['Jonas', 'Becker'], ['Aisha', 'Khan'], ['Tom', 'Walsh'], ['Yuki', 'Tanaka'], ['Lena', 'Fischer'],
  ['Omar', 'Haddad'], ['Sofia', 'Rossi'], ['Daniel', 'Okafor'], ['Emma', 'Larsen'], ['Lucas', 'Moreau'], ['Priya', 'Nair'],
];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Europe/London', 'Asia/Tokyo', 'America/Los_Angeles', 'Europe/Paris'];

interface Scenario {
  outcome: string;
  successful: 'success' | 'failure' | 'unknown';
  title: string;
  summary: (name: string) => string;
  caller: string[];
  agent: string[];
  goals: string[];
  challenges: string[];
  actionItems: string[];
  keyPoints: string[];
  mood: string;
  coachingStyle: string;
  /** Typical length in seconds (randomised ±40 %). */
  seconds: number;
  weight: number;
}

const SCENARIOS: Scenario[] = [
  {
    outcome: 'appointment_booked', successful: 'success', title: 'Coaching session booked',
    summary: (n) => `${n} booked a follow-up coaching session for next Tuesday morning to review the new evening routine.`,
    caller: ['Hi, my name is {first}. I would like to book an appointment for my next session.', 'Tuesday morning works great, thank you so much!'],
    agent: ['Hello {first}, happy to help you book it.', 'I have a free slot on Tuesday at 9am. Shall I book it?', 'Done, you are booked for Tuesday at 9am.'],
    goals: ['Sleep seven hours a night', 'Build an evening routine'], challenges: ['Late screen time'],
    actionItems: ['Put the phone away at 10pm', 'Write down three things before bed'], keyPoints: ['Booked Tuesday 9am', 'Evening routine is working'],
    mood: 'optimistic', coachingStyle: 'supportive', seconds: 240, weight: 5,
  },
  {
    outcome: 'resolved', successful: 'success', title: 'Weekly check-in: good progress',
    summary: (n) => `${n} reported steady progress on the exercise plan and agreed to add a third workout each week.`,
    caller: ['This is {first}. I want to work on my goals and build better habits.', 'I went running twice this week and I feel really good about it.'],
    agent: ['Great to hear from you, {first}. How did the week go?', 'That is excellent progress. Could you add a third session?', 'Wonderful, let us try that.'],
    goals: ['Exercise three times a week', 'Run a 10k in spring'], challenges: ['Finding time after work'],
    actionItems: ['Add a Saturday morning run', 'Pack gym clothes the night before'], keyPoints: ['Ran twice this week', 'Agreed on a third workout'],
    mood: 'motivated', coachingStyle: 'challenging', seconds: 420, weight: 6,
  },
  {
    outcome: 'callback_scheduled', successful: 'success', title: 'Callback requested for Thursday',
    summary: (n) => `${n} was short on time and asked for a callback on Thursday afternoon to go through the stress plan.`,
    caller: ['Sorry, I am in a rush today. Can you call me back on Thursday afternoon?', 'Yes, around 3pm is fine.'],
    agent: ['No problem at all.', 'I will call you back on Thursday at 3pm.'],
    goals: ['Reduce stress at work'], challenges: ['Too many meetings', 'No breaks during the day'],
    actionItems: ['Callback Thursday 3pm'], keyPoints: ['Short on time', 'Wants to talk about stress'],
    mood: 'stressed', coachingStyle: 'calm', seconds: 90, weight: 3,
  },
  {
    outcome: 'escalated', successful: 'failure', title: 'Escalated to a human coach',
    summary: (n) => `${n} was unhappy with the program and asked to speak to a human coach; the call was escalated.`,
    caller: ['I am very unhappy with the service. This is not helping me at all.', 'I want to talk to a real person, this is frustrating.'],
    agent: ['I am sorry to hear that.', 'I will connect you with one of our human coaches right away.'],
    goals: ['Lose weight'], challenges: ['Feels the plan is not working', 'Low motivation'],
    actionItems: ['Human coach to call back today'], keyPoints: ['Dissatisfied with progress', 'Asked for a human'],
    mood: 'frustrated', coachingStyle: 'direct', seconds: 300, weight: 2,
  },
  {
    outcome: 'information_provided', successful: 'success', title: 'Questions about the program',
    summary: (n) => `${n} asked how the sessions work and how often check-ins happen; the agent explained the program.`,
    caller: ['Hello, I have a question about how the coaching sessions work.', 'How often do we talk each week?'],
    agent: ['Sure. Sessions are weekly, with short check-ins in between.', 'You can also call any time you need.'],
    goals: ['Understand the program'], challenges: [], actionItems: ['Send the program overview by email'],
    keyPoints: ['Weekly sessions', 'Check-ins in between'], mood: 'curious', coachingStyle: 'informative', seconds: 180, weight: 3,
  },
  {
    outcome: 'unresolved', successful: 'failure', title: 'Struggling with focus',
    summary: (n) => `${n} is struggling to focus at work and could not settle on a plan during the call.`,
    caller: ['I want to improve my focus and productivity but nothing works.', 'I tried everything and I still get distracted all the time. It is terrible.'],
    agent: ['That sounds hard. What have you tried so far?', 'Let us pick one small thing for this week.'],
    goals: ['Improve focus at work'], challenges: ['Constant notifications', 'Procrastination'],
    actionItems: ['Try one 25-minute focus block a day'], keyPoints: ['Frequent distractions', 'No plan agreed yet'],
    mood: 'discouraged', coachingStyle: 'structured', seconds: 360, weight: 3,
  },
  {
    outcome: 'appointment_rescheduled', successful: 'success', title: 'Session moved to Friday',
    summary: (n) => `${n} needed to reschedule this week's session and moved it to Friday afternoon.`,
    caller: ['Hi, I need to reschedule my visit to another day.', 'Friday afternoon would be perfect, thanks.'],
    agent: ['Of course. Which day suits you?', 'Friday at 4pm it is.'],
    goals: ['Keep weekly sessions'], challenges: ['Travel for work'], actionItems: ['Session moved to Friday 4pm'],
    keyPoints: ['Travelling this week'], mood: 'calm', coachingStyle: 'supportive', seconds: 120, weight: 2,
  },
  {
    outcome: 'voicemail', successful: 'unknown', title: 'Reached voicemail',
    summary: () => 'The call reached voicemail; the agent left a short message about the next check-in.',
    caller: [], agent: ['Hi, this is your coach calling about your weekly check-in. Call back any time.'],
    goals: [], challenges: [], actionItems: ['Try again tomorrow'], keyPoints: ['Voicemail left'],
    mood: 'unknown', coachingStyle: '', seconds: 35, weight: 2,
  },
  {
    outcome: 'hung_up', successful: 'failure', title: 'Caller hung up',
    summary: () => 'The caller hung up shortly after the greeting.',
    caller: ['Not now, sorry.'], agent: ['Hello, this is your coach. Do you have a minute?'],
    goals: [], challenges: [], actionItems: [], keyPoints: ['Call ended early'], mood: 'busy', coachingStyle: '', seconds: 15, weight: 1,
  },
  {
    outcome: 'appointment_cancelled', successful: 'success', title: 'Session cancelled',
    summary: (n) => `${n} cancelled next week's session because of a family holiday.`,
    caller: ['I want to cancel my appointment next week, we are on holiday.', 'Thanks for understanding.'],
    agent: ['No problem, I have cancelled it.', 'Enjoy your holiday!'],
    goals: ['Keep healthy habits while travelling'], challenges: ['Holiday routine'], actionItems: ['Walk every morning on holiday'],
    keyPoints: ['Away next week'], mood: 'relaxed', coachingStyle: 'supportive', seconds: 100, weight: 1,
  },
];

/** mulberry32: small, seedable, good enough for sample data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function simulatedPeople(count: number): SimulatedPerson[] {
  return Array.from({ length: count }, (_, i) => {
    const [first, last] = NAMES[i % NAMES.length];
    const round = Math.floor(i / NAMES.length);
    return {
      externalId: `sim-${first.toLowerCase()}-${last.toLowerCase()}${round ? `-${round + 1}` : ''}`,
      name: `${first} ${last}${round ? ` ${round + 1}` : ''}`,
      // 202-555-01xx: valid US numbers reserved for fiction.
      phoneNumber: `+1202555${String(110 + i).padStart(4, '0')}`,
      timezone: ZONES[i % ZONES.length],
    };
  });
}

function pick<T>(random: () => number, items: T[]): T {
  return items[Math.floor(random() * items.length)];
}

function pickScenario(random: () => number): Scenario {
  const total = SCENARIOS.reduce((sum, s) => sum + s.weight, 0);
  let roll = random() * total;
  for (const scenario of SCENARIOS) {
    roll -= scenario.weight;
    if (roll < 0) return scenario;
  }
  return SCENARIOS[0];
}

/** A start time within the last `days` days, during waking hours (08:00–20:00 UTC), never in the future. */
function startTime(random: () => number, now: Date, days: number, durationSecs: number): Date {
  const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let tries = 0; ; tries++) {
    const day = Math.floor(random() * days);
    const at = dayStart - day * 86_400_000 + (8 * 3600 + Math.floor(random() * 12 * 3600)) * 1000;
    if (at + durationSecs * 1000 < now.getTime()) return new Date(at);
    if (tries > 20) return new Date(now.getTime() - (durationSecs + 60 + Math.floor(random() * 3600)) * 1000);
  }
}

const fill = (text: string, person: SimulatedPerson) => text.replaceAll('{first}', person.name.split(' ')[0]);
const hex = (random: () => number, bytes = 12) => Array.from({ length: bytes }, () => Math.floor(random() * 256).toString(16).padStart(2, '0')).join('');

function turns(scenario: Scenario, person: SimulatedPerson, durationSecs: number): Array<{ role: 'agent' | 'user'; message: string; time_in_call_secs: number }> {
  const lines: Array<{ role: 'agent' | 'user'; message: string }> = [];
  const longest = Math.max(scenario.agent.length, scenario.caller.length);
  for (let i = 0; i < longest; i++) {
    if (scenario.agent[i]) lines.push({ role: 'agent', message: fill(scenario.agent[i], person) });
    if (scenario.caller[i]) lines.push({ role: 'user', message: fill(scenario.caller[i], person) });
  }
  return lines.map((line, i) => ({ ...line, time_in_call_secs: Math.floor((durationSecs * i) / Math.max(lines.length, 1)) }));
}

const collected = (id: string, value: unknown) => ({ data_collection_id: id, value, rationale: 'simulated' });

function postCallTranscription(random: () => number, scenario: Scenario, person: SimulatedPerson, startedAt: Date, durationSecs: number): Delivery {
  const conversationId = `conv_sim_${hex(random)}`;
  const phone = random() < 0.6;
  const outbound = phone && random() < 0.5;
  const startSecs = Math.floor(startedAt.getTime() / 1000);
  const results: Record<string, unknown> = {
    call_outcome: collected('call_outcome', scenario.outcome),
    goals: collected('goals', JSON.stringify(scenario.goals)),
    challenges: collected('challenges', JSON.stringify(scenario.challenges)),
    action_items: collected('action_items', JSON.stringify(scenario.actionItems)),
    key_points: collected('key_points', JSON.stringify(scenario.keyPoints)),
    mood: collected('mood', scenario.mood),
  };
  if (scenario.coachingStyle) results.coaching_style = collected('coaching_style', scenario.coachingStyle);
  const body = {
    type: 'post_call_transcription',
    event_timestamp: startSecs + durationSecs + 5,
    data: {
      agent_id: SIMULATED_AGENT_ID,
      agent_name: 'Coach (simulated)',
      conversation_id: conversationId,
      status: 'done',
      user_id: person.externalId,
      has_audio: false,
      has_user_audio: false,
      has_response_audio: false,
      transcript: turns(scenario, person, durationSecs),
      metadata: {
        start_time_unix_secs: startSecs,
        call_duration_secs: durationSecs,
        termination_reason: scenario.outcome === 'hung_up' ? 'Call ended by remote party' : 'Call ended by agent',
        conversation_initiation_source: phone ? 'twilio' : 'widget',
        ...(phone
          ? { phone_call: { type: 'twilio', direction: outbound ? 'outbound' : 'inbound', agent_number: AGENT_NUMBER, external_number: person.phoneNumber, call_sid: `CA${hex(random, 16)}` } }
          : {}),
      },
      analysis: {
        call_successful: scenario.successful,
        transcript_summary: scenario.summary(person.name),
        call_summary_title: scenario.title,
        evaluation_criteria_results: {},
        data_collection_results: results,
      },
      conversation_initiation_client_data: {
        user_id: person.externalId,
        dynamic_variables: { user_name: person.name, system__conversation_id: conversationId, system__agent_id: SIMULATED_AGENT_ID },
      },
    },
  };
  return { path: '/api/webhooks/elevenlabs', kind: 'post_call_transcription', id: conversationId, person, startedAt, outcome: scenario.outcome, body };
}

function callSummary(random: () => number, scenario: Scenario, person: SimulatedPerson, startedAt: Date, durationSecs: number): Delivery {
  const callId = `call_sim_${hex(random)}`;
  const body = {
    call_id: callId,
    agent_id: SIMULATED_AGENT_ID,
    started_at: startedAt.toISOString(),
    ended_at: new Date(startedAt.getTime() + durationSecs * 1000).toISOString(),
    duration_seconds: durationSecs,
    from_number: person.phoneNumber,
    to_number: AGENT_NUMBER,
    transcript: turns(scenario, person, durationSecs).map(({ role, message }) => ({ role, message })),
    analysis: { call_outcome: scenario.outcome, summary: scenario.summary(person.name) },
  };
  return { path: '/api/calls', kind: 'call_summary', id: callId, person, startedAt, outcome: scenario.outcome, body };
}

function initiationFailure(random: () => number, person: SimulatedPerson, at: Date): Delivery {
  const conversationId = `conv_sim_failed_${hex(random)}`;
  const reason = pick(random, ['busy', 'no-answer', 'no-answer', 'unknown']);
  const body = {
    type: 'call_initiation_failure',
    event_timestamp: Math.floor(at.getTime() / 1000),
    data: {
      agent_id: SIMULATED_AGENT_ID,
      conversation_id: conversationId,
      failure_reason: reason,
      metadata: {
        type: 'twilio',
        body: { CallSid: `CA${hex(random, 16)}`, CallStatus: reason === 'unknown' ? 'failed' : reason, From: AGENT_NUMBER, To: person.phoneNumber, Direction: 'outbound-api', Duration: '0', SipResponseCode: reason === 'busy' ? '486' : '487' },
      },
    },
  };
  return { path: '/api/webhooks/elevenlabs', kind: 'call_initiation_failure', id: conversationId, person, startedAt: at, outcome: null, body };
}

/** `calls` finished calls (about two thirds ElevenLabs webhooks, one third /api/calls) plus one failure per 15 calls (at least one). */
export function simulateCalls(options: SimulationOptions): { people: SimulatedPerson[]; deliveries: Delivery[] } {
  const random = seededRandom(options.seed);
  // Start times draw from their own stream: how many draws a time takes depends on the hour it is run at, and
  // must not change which calls a seed gives.
  const times = seededRandom(options.seed ^ 0x5bd1e995);
  const people = simulatedPeople(options.people);
  const deliveries: Delivery[] = [];
  for (let i = 0; i < options.calls; i++) {
    const scenario = pickScenario(random);
    const person = pick(random, people);
    const durationSecs = Math.max(5, Math.round(scenario.seconds * (0.6 + random() * 0.8)));
    const startedAt = startTime(times, options.now, options.days, durationSecs);
    deliveries.push(random() < 0.67 ? postCallTranscription(random, scenario, person, startedAt, durationSecs) : callSummary(random, scenario, person, startedAt, durationSecs));
  }
  const failures = options.calls > 0 ? Math.max(1, Math.round(options.calls / 15)) : 0;
  for (let i = 0; i < failures; i++) deliveries.push(initiationFailure(random, pick(random, people), startTime(times, options.now, options.days, 0)));
  deliveries.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  return { people, deliveries };
}

/** A fresh seed when none is given. */
export function randomSeed(): number {
  return randomBytes(4).readUInt32BE(0);
}
