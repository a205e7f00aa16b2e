// The baseline of `npm run bench -- http`: a bare NestJS 11 POST endpoint (Express, the default JSON body
// parser) validating an invoice-shaped body with the ValidationPipe options every ARC route uses
// (libs/platform/src/errors/validation.ts), answering 201 with a small JSON. No auth, no database: what
// NestJS itself costs per request on this machine, so ARC's figures can be read against it.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Module, Post, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

class MoneyDto {
  @IsString() @Matches(/^-?\d{1,30}$/) amountMinor!: string;
  @IsString() @Matches(/^[A-Z]{3}$/) currency!: string;
}

class LineDto {
  @IsString() @IsNotEmpty() @MaxLength(500) description!: string;
  @ValidateNested() @Type(() => MoneyDto) netAmount!: MoneyDto;
  @ValidateNested() @Type(() => MoneyDto) taxAmount!: MoneyDto;
}

class InvoiceDto {
  @IsOptional() @IsUUID() invoiceId?: string;
  @IsString() @IsNotEmpty() @MaxLength(64) number!: string;
  @IsUUID() customerId!: string;
  @IsString() @Matches(/^[A-Z]{3}$/) currency!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => LineDto) lines!: LineDto[];
  @IsString() @Matches(/^\d{4}-\d{2}-\d{2}$/) issueDate!: string;
}

@Controller('v1/invoices')
class InvoicesController {
  @Post()
  @HttpCode(201)
  issue(@Body() dto: InvoiceDto): { invoiceId: string; number: string; status: string } {
    return { invoiceId: dto.invoiceId ?? randomUUID(), number: dto.number, status: 'issued' };
  }
}

@Module({ controllers: [InvoicesController] })
class BaselineModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BaselineModule, { logger: ['error', 'warn'] });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
    }),
  );
  await app.listen(Number(process.env.PORT ?? 3999), '127.0.0.1');
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
