import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ReleaseHoldDto {
  @ApiProperty({ example: 'arrears paid' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}
