import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Room } from './entities/room.entity.js';
import { RoomPageController } from './room-page.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Room])],
  controllers: [RoomPageController],
  exports: [TypeOrmModule],
})
export class RoomsModule {}
