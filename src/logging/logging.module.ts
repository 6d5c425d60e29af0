import { Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { isSignedWebhook } from '../webhooks/signed-webhook-paths.js';
import { isStartupDetail, usePrettyLogs } from './log-format.js';
import { redactSecrets, redactUrl } from './log-redaction.js';

/**
 * Structured JSON logs (nestjs-pino); pino-pretty at a development terminal (see usePrettyLogs). Requests are logged as method, redacted URL, status and time,
 * never headers or bodies; every log object passes through redactSecrets.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const knownSecrets = [config.elevenlabs.apiKey, config.elevenlabs.webhookSecret, config.auth.jwtSecret, config.conversationInit.secret].filter(
          (value): value is string => Boolean(value),
        );
        return {
          pinoHttp: {
            level: config.logLevel,
            ...(usePrettyLogs({ nodeEnv: config.nodeEnv, stdoutIsTTY: process.stdout.isTTY })
              ? { transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,context', messageFormat: '{if context}[{context}] {end}{msg}' } } }
              : {}),
            autoLogging: { ignore: (request: IncomingMessage) => request.url === '/api/health' },
            // Accepted webhook deliveries are rows in webhook_events (GET /api/webhooks/events): log only the refused ones.
            customLogLevel: (request: IncomingMessage, response: { statusCode: number }, error?: Error) =>
              error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : isSignedWebhook(request) ? 'silent' : 'info',
            serializers: {
              req: (request: { id: unknown; method: string; url: string }) => ({ id: request.id, method: request.method, url: redactUrl(request.url) }),
              res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
            },
            formatters: { log: (object: Record<string, unknown>) => redactSecrets(object, knownSecrets) as Record<string, unknown> },
            hooks: {
              logMethod(this: { debug: (...a: unknown[]) => void }, args: unknown[], method: (...a: unknown[]) => void, level: number) {
                if (isStartupDetail(args, level)) return this.debug(...args);
                method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg, knownSecrets) : arg)));
              },
            },
          },
        };
      },
    }),
  ],
})
export class LoggingModule {}
