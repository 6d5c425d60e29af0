import type { IncomingMessage } from 'node:http';
import { HttpException, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { plainToInstance } from 'class-transformer';
import { IsUUID, validate } from 'class-validator';
import type { Subscription } from 'rxjs';
import { WebSocket, type WebSocketServer } from 'ws';
import { Public } from '../auth/auth.decorators.js';
import { describeJwtError, JwtKeyProvider } from '../auth/jwt-key.provider.js';
import { ACCESS_TOKEN_COOKIE } from '../auth/jwt.strategy.js';
import { DomainError } from '../http/domain-error.js';
import { RealtimeListener } from '../realtime/realtime-listener.js';
import { AddressRateLimiter } from '../rate-limits/address-rate-limiter.js';
import type { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { ConversationsService } from './conversations.service.js';
import { ConversationMessageDto, StartConversationDto } from './dto/conversation.dto.js';

class ConversationRefDto {
  @IsUUID()
  conversationId: string;
}

class ConversationMessageEventDto extends ConversationMessageDto {
  @IsUUID()
  conversationId: string;
}

class StartEventDto extends StartConversationDto {}

const CLIENT_EVENTS = new Set(['conversation_start', 'conversation_message', 'conversation_end']);

type AuthedRequest = IncomingMessage & { user?: User };

export function tokenFromHandshake(request: IncomingMessage): string | null {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const query = url.searchParams.get('token');
  if (query) return query;
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === ACCESS_TOKEN_COOKIE && value.length) return decodeURIComponent(value.join('='));
  }
  return null;
}

/**
 * `/ws`: plain WebSocket, messages `{ "event": name, "data": {...} }`. The JWT is checked during the
 * handshake (query `?token=`, `Authorization: Bearer`, or the `access_token` cookie); a bad one is refused
 * with HTTP 401 and the reason as the body. Each socket receives only its own person's events; admins
 * also receive `activity_created`, `call_created` and `task_updated`. Events come from the realtime listener,
 * so a socket on this instance also hears what another instance published (docs/realtime.md).
 */
// @Public(): the global HTTP guard does not apply; the JWT is checked once, on the handshake (verifyClient).
@Public()
@WebSocketGateway({ path: '/ws' })
export class ConversationsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(ConversationsGateway.name);
  private readonly userOf = new WeakMap<WebSocket, User>();
  private readonly socketsByUser = new Map<string, Set<WebSocket>>();
  private readonly adminSockets = new Set<WebSocket>();
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly keys: JwtKeyProvider,
    private readonly users: UsersService,
    private readonly conversations: ConversationsService,
    private readonly listener: RealtimeListener,
    private readonly limiter: AddressRateLimiter,
  ) {}

  afterInit(server: WebSocketServer): void {
    // The adapter creates the server; the handshake check needs our injected key provider.
    server.options.verifyClient = (
      info: { req: IncomingMessage },
      done: (ok: boolean, code?: number, message?: string, headers?: Record<string, string>) => void,
    ) => {
      // Per client address, before the JWT is even checked (src/rate-limits).
      void this.limiter.hit('wsHandshake', info.req.socket.remoteAddress).then((retryAfter) => {
        if (retryAfter) return done(false, 429, 'Too Many Requests', { 'Retry-After': String(retryAfter) });
        return this.authenticate(info.req as AuthedRequest).then(
          () => done(true),
          (error: unknown) => done(false, 401, `unauthorized: ${error instanceof Error ? error.message : describeJwtError(error)}`),
        );
      });
    };
    // Committed events from every instance on the database (src/realtime), this one included.
    this.subscriptions.push(
      this.listener.events$.subscribe((event) => {
        if (event.audience === 'user') this.sendAll(this.socketsByUser.get(event.userId), event.event, event.data);
        else this.sendAll(this.adminSockets, event.event, event.data);
      }),
    );
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  handleConnection(client: WebSocket, request: AuthedRequest): void {
    const user = request.user;
    if (!user) {
      client.close(4401, 'unauthorized');
      return;
    }
    this.userOf.set(client, user);
    let own = this.socketsByUser.get(user.id);
    if (!own) this.socketsByUser.set(user.id, (own = new Set()));
    own.add(client);
    if (user.role === 'admin') this.adminSockets.add(client);
    // The adapter drops frames that are not JSON or name no handler; tell the client instead (socket stays open).
    client.on('message', (raw) => {
      let message: unknown;
      try {
        message = JSON.parse(raw.toString());
      } catch {
        return this.send(client, 'conversation_error', { message: 'message is not valid JSON: send {"event": "...", "data": {...}}' });
      }
      const event = (message as { event?: unknown } | null)?.event;
      if (typeof message !== 'object' || message === null || Array.isArray(message) || typeof event !== 'string') {
        return this.send(client, 'conversation_error', { message: 'message must be an object {"event": "...", "data": {...}}' });
      }
      if (!CLIENT_EVENTS.has(event)) {
        return this.send(client, 'conversation_error', { event, message: `unknown event "${event}"; expected one of ${[...CLIENT_EVENTS].join(', ')}` });
      }
    });
  }

  handleDisconnect(client: WebSocket): void {
    const user = this.userOf.get(client);
    if (!user) return;
    const own = this.socketsByUser.get(user.id);
    own?.delete(client);
    if (own && !own.size) this.socketsByUser.delete(user.id);
    this.adminSockets.delete(client);
  }

  @SubscribeMessage('conversation_start')
  async onStart(@ConnectedSocket() client: WebSocket, @MessageBody() data: unknown): Promise<void> {
    await this.handle(client, 'conversation_start', data, StartEventDto, async (user, dto, requestId) => {
      const started = await this.conversations.start(user, dto, { notify: false });
      this.send(client, 'conversation_started', { ...started, requestId });
    });
  }

  @SubscribeMessage('conversation_message')
  async onMessage(@ConnectedSocket() client: WebSocket, @MessageBody() data: unknown): Promise<void> {
    await this.handle(client, 'conversation_message', data, ConversationMessageEventDto, async (user, dto) => {
      const { conversationId, clientMessageId, role, message, timeInCallSecs } = dto;
      await this.conversations.addMessages(user, conversationId, { messages: [{ clientMessageId, role, message, timeInCallSecs }] });
    });
  }

  @SubscribeMessage('conversation_end')
  async onEnd(@ConnectedSocket() client: WebSocket, @MessageBody() data: unknown): Promise<void> {
    await this.handle(client, 'conversation_end', data, ConversationRefDto, async (user, dto, requestId) => {
      const { conversation, changed } = await this.conversations.endConversation(user, dto.conversationId);
      // A change was already announced to every socket of the person; an idempotent repeat answers the caller.
      if (!changed) this.send(client, 'conversation_ended', { ...conversation, requestId });
    });
  }

  private async handle<T extends object>(
    client: WebSocket,
    event: string,
    data: unknown,
    type: new () => T,
    run: (user: User, dto: T, requestId: string | undefined) => Promise<void>,
  ): Promise<void> {
    const user = this.userOf.get(client);
    const requestId = typeof (data as { requestId?: unknown })?.requestId === 'string' ? (data as { requestId: string }).requestId : undefined;
    if (!user) return;
    try {
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        return this.send(client, 'conversation_error', { event, requestId, message: `${event} needs a "data" object` });
      }
      const { requestId: _, ...fields } = data as Record<string, unknown>;
      const dto = plainToInstance(type, fields);
      const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
      if (errors.length) {
        const message = errors.flatMap((e) => Object.values(e.constraints ?? {}).concat(e.children?.length ? [`${e.property} is invalid`] : []));
        return this.send(client, 'conversation_error', { event, requestId, message });
      }
      await run(user, dto, requestId);
    } catch (error) {
      if (error instanceof DomainError) return this.send(client, 'conversation_error', { event, requestId, statusCode: error.status, message: error.message });
      if (error instanceof HttpException) return this.send(client, 'conversation_error', { event, requestId, statusCode: error.getStatus(), message: error.message });
      this.logger.error({ err: error }, `WebSocket ${event} failed`);
      this.send(client, 'conversation_error', { event, requestId, statusCode: 500, message: 'internal error; the server log has the details' });
    }
  }

  private async authenticate(request: AuthedRequest): Promise<void> {
    const token = tokenFromHandshake(request);
    if (!token) throw new Error('missing token: pass ?token=, Authorization: Bearer or the access_token cookie');
    const claims = await this.keys.verify(token);
    request.user = await this.users.upsertFromClaims(claims);
  }

  private sendAll(sockets: Iterable<WebSocket> | undefined, event: string, data: unknown): void {
    if (!sockets) return;
    for (const socket of sockets) this.send(socket, event, data);
  }

  private send(client: WebSocket, event: string, data: unknown): void {
    if (client.readyState === WebSocket.OPEN) client.send(JSON.stringify({ event, data }));
  }
}
