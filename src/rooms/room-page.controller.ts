import { Controller, Get, NotFoundException, Param, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CurrentUser } from '../auth/auth.decorators.js';
import type { User } from '../users/entities/user.entity.js';
import { Room } from './entities/room.entity.js';

/** Placeholder room page until the rooms issue renders the widget. */
@ApiExcludeController()
@Controller('rooms')
export class RoomPageController {
  constructor(@InjectRepository(Room) private readonly rooms: Repository<Room>) {}

  @Get(':slug')
  @Render('room-placeholder')
  async show(@Param('slug') slug: string, @CurrentUser() user: User) {
    const room = await this.rooms.findOneBy({ slug, isActive: true });
    if (!room) throw new NotFoundException(`no room "${slug}"`);
    return { title: room.name, room, user };
  }
}
