// The text-analysis thread (`CallTextReader`): reads calls' texts with wink-nlp off the processing thread.
import { parentPort } from 'node:worker_threads';
import { warmUpTextAnalysis } from '../insights/text-analysis.js';
import { type CallTextInput, readCallText } from './call-text.js';

warmUpTextAnalysis();
parentPort?.on('message', ({ ids, inputs }: { ids: number[]; inputs: CallTextInput[] }) => {
  inputs.forEach((input, index) => {
    try {
      parentPort?.postMessage({ id: ids[index], text: readCallText(input) });
    } catch (error) {
      parentPort?.postMessage({ id: ids[index], error: error instanceof Error ? error.message : String(error) });
    }
  });
});
