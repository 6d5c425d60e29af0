import { readCallText } from '../src/webhooks/call-text.js';
import { buildIfNeeded } from './support/server-process.js';

// The built server reads calls' texts on a thread of its own (`CallTextReader`); the specs that run the TypeScript
// sources read them inline. This checks the two agree, on the built reader and its real thread.
describe('the text-analysis thread of the built server', () => {
  const input = {
    rawOutcome: null,
    callSuccessful: 'success',
    summary: 'The user wants to sleep better and train for a 10k race.',
    callerLines: ['I sleep badly and work stress is high.', 'I would like to run a 10k in the spring!', 'My name is Maria Lopez'],
  };

  beforeAll(() => buildIfNeeded(), 120_000);

  it('reads a call as the processing thread does, and a thread that died is replaced on the next call', async () => {
    const builtReader = '../dist/src/webhooks/call-text-reader.js';
    const { CallTextReader } = await import(builtReader);
    const reader = new CallTextReader();
    try {
      const expected = readCallText(input);
      expect(expected.read.topics.length).toBeGreaterThan(0);
      expect(await reader.read(input)).toEqual(expected);
      expect(reader.thread).not.toBeNull(); // it did run on the thread
      // A batch's calls in one message: each answer is its own call's.
      const other = { ...input, summary: 'Budget planning before the move.', callerLines: ['Money worries keep me awake.', 'I feel anxious and tired.'] };
      const answers = await Promise.all(reader.readAll([other, input]));
      expect(answers).toEqual([readCallText(other), expected]);
      expect(answers[0]).not.toEqual(answers[1]);

      await reader.thread.worker.terminate();
      await new Promise((resolve) => setImmediate(resolve));
      expect(reader.thread).toBeNull();
      expect(await reader.read(input)).toEqual(expected);
    } finally {
      await reader.onApplicationShutdown();
    }
  }, 30_000);
});
