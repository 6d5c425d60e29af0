import { Module } from '@nestjs/common';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { InsightsModule } from '../insights/insights.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { AssetsController } from './assets.controller.js';
import { PagesController } from './pages.controller.js';
import { RoomPageService } from './room-page.service.js';

@Module({
  imports: [RoomsModule, ConversationsModule, InsightsModule],
  controllers: [PagesController, AssetsController],
  providers: [RoomPageService],
})
export class PagesModule {}
