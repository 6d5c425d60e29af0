import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import { type Page, fetchPage } from '../http/page-cursor.js';
import type { PageQueryDto } from '../http/page-query.dto.js';
import { SettingsService } from '../settings/settings.service.js';
import type { CreateRoomDto, RoomResponse, UpdateRoomDto } from './dto/room.dto.js';
import { toRoomResponse } from './dto/room.dto.js';
import { Room } from './entities/room.entity.js';
import { NoAgentConfiguredError, RoomNotFoundError, RoomSlugTakenError } from './rooms.errors.js';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class RoomsService {
  constructor(
    @InjectRepository(Room) private readonly rooms: Repository<Room>,
    private readonly settings: SettingsService,
  ) {}

  async create(dto: CreateRoomDto): Promise<Room> {
    await this.assertSlugFree(dto.slug);
    try {
      return await this.rooms.save(this.rooms.create({ ...dto }));
    } catch (error) {
      throw this.translate(error, dto.slug);
    }
  }

  list(query: PageQueryDto): Promise<Page<RoomResponse>> {
    return fetchPage(this.rooms.createQueryBuilder('room'), { timeColumn: 'created_at', timeOf: (room) => room.createdAt }, query, toRoomResponse);
  }

  async get(id: string): Promise<Room> {
    const room = await this.rooms.findOneBy({ id });
    if (!room) throw new RoomNotFoundError(`with id ${id}`);
    return room;
  }

  async update(id: string, dto: UpdateRoomDto): Promise<Room> {
    const room = await this.get(id);
    if (dto.slug && dto.slug !== room.slug) await this.assertSlugFree(dto.slug);
    try {
      return await this.rooms.save(this.rooms.merge(room, { ...dto }));
    } catch (error) {
      throw this.translate(error, dto.slug ?? room.slug);
    }
  }

  /** Past sessions keep their rows (room_id becomes null). */
  async remove(id: string): Promise<void> {
    const result = await this.rooms.delete({ id });
    if (!result.affected) throw new RoomNotFoundError(`with id ${id}`);
  }

  findBySlug(slug: string): Promise<Room | null> {
    return this.rooms.findOneBy({ slug });
  }

  findById(id: string): Promise<Room | null> {
    return this.rooms.findOneBy({ id });
  }

  findActiveRooms(): Promise<Room[]> {
    return this.rooms.find({ where: { isActive: true }, order: { name: 'ASC' } });
  }

  /** The room's own agent, else the agent setting (DB), else ELEVENLABS_AGENT_ID. */
  async resolveAgentId(room: Room | null, requested?: string): Promise<string> {
    const own = requested ?? room?.agentId;
    if (own) return own;
    const { agentId } = await this.settings.getAgentSettings();
    if (!agentId) throw new NoAgentConfiguredError();
    return agentId;
  }

  /** The unique index stays the source of truth (a race still ends in 409); this just avoids the failing INSERT. */
  private async assertSlugFree(slug: string): Promise<void> {
    if (await this.rooms.existsBy({ slug })) throw new RoomSlugTakenError(slug);
  }

  private translate(error: unknown, slug: string): unknown {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) return new RoomSlugTakenError(slug);
    return error;
  }
}
