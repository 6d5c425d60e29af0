import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class SetActionItemDoneDto {
  @ApiProperty({ description: 'true: done; false: open again' })
  @IsBoolean()
  done: boolean;
}
