import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { isBusinessDate, parseBusinessDate, type BusinessDate } from '@arc/clock';

export class AsOfQuery {
  @ApiPropertyOptional({
    example: '2026-02-15',
    description:
      'the business date to answer as of. Up to the last closed day: the figures of that day (invoices issued and payments, ' +
      'notes and write-offs dated up to it; later ones left out). Omitted: the live figures at the last closed day. Later: ' +
      "today's open items aged at that date",
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date written YYYY-MM-DD' })
  asOf?: string;
}

/** The asOf of a query as a business date (undefined when not given); 400 for a date that does not exist. */
export function asOfOf(query: { asOf?: string }): BusinessDate | undefined {
  if (query.asOf === undefined) return undefined;
  if (!isBusinessDate(query.asOf)) throw new BadRequestException(`asOf ${query.asOf} is not a calendar date`);
  return parseBusinessDate(query.asOf);
}
