import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class RejectCreditLimitDto {
  @ApiProperty({ example: 'financial statements show falling liquidity' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}
