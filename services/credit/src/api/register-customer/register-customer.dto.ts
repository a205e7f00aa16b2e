import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsCountryCode } from '@arc/platform';

export class RegisterCustomerDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) legalName!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) registrationNumber!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) industry!: string;
  @ApiProperty({ example: 'DE', description: 'an assigned ISO 3166-1 alpha-2 code ("ZZ" is refused)' }) @IsCountryCode() country!: string;
  @ApiProperty({ example: 'EUR', description: 'ISO 4217; the customer trades and is limited in it' })
  @IsString()
  @Matches(/^[A-Z]{3}$/)
  currency!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) businessUnit!: string;
}
