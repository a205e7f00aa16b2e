import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ReleaseReservationDto {
  @ApiProperty({ example: 'order cancelled' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}
