import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { CREDIT_CLASSES, PAYMENT_METHODS, type CreditClass, type PaymentMethod } from '@arc/contracts';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';

export class EarlyPaymentDiscountDto {
  @ApiProperty({ example: 200, description: '200 = 2 %' }) @IsInt() @Min(1) @Max(10_000) basisPoints!: number;
  @ApiProperty({ example: 10 }) @IsInt() @Min(0) @Max(3650) withinDays!: number;
}

export class SetCreditPolicyDto {
  @ApiProperty({ enum: CREDIT_CLASSES }) @IsIn(CREDIT_CLASSES) creditClass!: CreditClass;
  @ApiProperty({ type: MoneyBody }) @IsMoney() creditLimit!: MoneyBody;
  @ApiProperty({ example: 30 }) @IsInt() @Min(0) @Max(3650) paymentTermDays!: number;
  @ApiProperty({ enum: PAYMENT_METHODS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(PAYMENT_METHODS, { each: true })
  acceptedPaymentMethods!: PaymentMethod[];
  @ApiPropertyOptional({ type: EarlyPaymentDiscountDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => EarlyPaymentDiscountDto)
  earlyPaymentDiscount?: EarlyPaymentDiscountDto | null;
  @ApiPropertyOptional({ example: 0, description: 'share paid up front; 3000 = 30 %; default 0' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  prepaymentBasisPoints?: number;
  @ApiPropertyOptional({ type: MoneyBody, nullable: true }) @IsOptional() @IsMoney() insuredAmount?: MoneyBody | null;
  @ApiProperty({ example: '2027-06-30' }) @IsBusinessDate() nextReviewDate!: string;
}
