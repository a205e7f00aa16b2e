import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import type { MoneyJson } from '@arc/contracts';
import { IsMoney, MoneyBody } from '@arc/platform';

export class DefineCreditGroupDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() groupId!: string;
  @ApiProperty({ example: 'Müller Holding' }) @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  @ApiProperty({ format: 'uuid', description: 'a registered customer; the first member' }) @IsUUID() parentCustomerId!: string;
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '100000000', currency: 'EUR' } }) @IsMoney() groupLimit!: MoneyBody;
}

export class AddGroupMemberDto {
  @ApiProperty({ format: 'uuid', description: 'a registered customer in no other group' }) @IsUUID() customerId!: string;
}

export interface CreditGroupResponse {
  groupId: string;
  name: string;
  parentCustomerId: string;
  groupLimit: MoneyJson;
  members: string[];
  /** Σ members' open AR + the group's open reservations. */
  exposure: MoneyJson;
}
