import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type CallText, type CallTextInput, readCallText } from './call-text.js';

const WORKER_FILE = new URL('./call-text.worker.js', import.meta.url);

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve: (text: CallText) => void; reject: (error: Error) => void }>;
}

/**
 * Reads finished calls' texts (wink-nlp: intent, sentiment, topics; about 0.65 ms per call) on a thread of its own,
 * so that the processing thread goes on with other events' statements meanwhile. Where the thread's compiled file
 * is missing (specs running the TypeScript sources), the text is read on the calling thread, with the same result.
 */
@Injectable()
export class CallTextReader implements OnApplicationShutdown {
  private readonly logger = new Logger(CallTextReader.name);
  private readonly threaded = existsSync(fileURLToPath(WORKER_FILE));
  private thread: Thread | null = null;
  private nextId = 0;

  read(input: CallTextInput): Promise<CallText> {
    return this.readAll([input])[0];
  }

  /** Several calls' texts in one message to the thread; each answer comes as soon as its call is read. */
  readAll(inputs: CallTextInput[]): Array<Promise<CallText>> {
    if (!this.threaded) return inputs.map((input) => new Promise<CallText>((resolve) => resolve(readCallText(input))));
    const thread = this.thread ?? this.start();
    // Kept alive only while it has work: an idle thread does not hold the process open.
    if (!thread.pending.size) thread.worker.ref();
    const ids = inputs.map(() => (this.nextId += 1));
    const answers = ids.map((id) => new Promise<CallText>((resolve, reject) => thread.pending.set(id, { resolve, reject })));
    thread.worker.postMessage({ ids, inputs });
    return answers;
  }

  /** After every module's destroy hook, so that the processor's last batch (it waits for it there) is read. */
  async onApplicationShutdown(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    await thread?.worker.terminate();
  }

  private start(): Thread {
    const thread: Thread = { worker: new Worker(WORKER_FILE), pending: new Map() };
    thread.worker.unref();
    thread.worker.on('message', ({ id, text, error }: { id: number; text?: CallText; error?: string }) => {
      const waiting = thread.pending.get(id);
      thread.pending.delete(id);
      if (!thread.pending.size) thread.worker.unref();
      if (error !== undefined) waiting?.reject(new Error(`text analysis failed: ${error}`));
      else waiting?.resolve(text!);
    });
    // A thread that died fails the calls it held (their events are retried); the next call starts a new one.
    const fail = (reason: string) => {
      if (this.thread === thread) this.thread = null;
      for (const { reject } of thread.pending.values()) reject(new Error(`text analysis thread ${reason}`));
      thread.pending.clear();
    };
    thread.worker.on('error', (error) => {
      this.logger.error(`text analysis thread failed: ${error.message}`);
      fail(`failed: ${error.message}`);
    });
    thread.worker.on('exit', (code) => fail(`exited (${code})`));
    this.thread = thread;
    return thread;
  }
}
