import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Pool } from 'pg';
import { Roles } from '@arc/auth';
import { PDF_CONTENT_TYPE } from '@arc/documents';
import { ARC_PG_POOL } from '@arc/platform';
import { letterFileName, letterPdf, listLetters, type LetterSummary } from '../../channels/letters';
import { ROLE_MATRIX } from '../role-matrix';

export class ListLettersQuery {
  @ApiPropertyOptional({ example: 100, description: '1–1000, default 100' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

interface HeaderSink {
  setHeader(name: string, value: string): void;
}

/** The dunning letters (PDF) the steps with a `letter` channel produced: listed per customer, each downloadable. */
@ApiTags('letters')
@Controller()
export class LettersController {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  /** The customer's letters, oldest first (200, an empty list when there are none). */
  @Get('customers/:customerId/letters')
  @Roles(ROLE_MATRIX.readLetters)
  @ApiOkResponse({
    schema: {
      example: {
        letters: [
          {
            letterId: '3f0c2a1e-4b5d-4c6e-8f90-000000000001',
            customerId: 'c0ffee00-0000-4000-8000-000000000001',
            invoiceId: 'c0ffee00-0000-4000-8000-000000000002',
            invoiceNumber: 'INV-2026-000042',
            stepId: 'demand-letter',
            businessDate: '2026-03-31',
            title: 'Formal demand for payment: invoice INV-2026-000042',
          },
        ],
      },
    },
  })
  async list(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Query() query: ListLettersQuery,
  ): Promise<{ letters: LetterSummary[] }> {
    return { letters: await listLetters(this.pool, customerId, query.limit ?? 100) };
  }

  /** One letter as a PDF (200 application/pdf); 404 if there is none with that id. */
  @Get('letters/:letterId')
  @Roles(ROLE_MATRIX.readLetters)
  @ApiProduces(PDF_CONTENT_TYPE)
  @ApiOkResponse({ description: 'the letter as PDF', content: { [PDF_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } } })
  async pdf(@Param('letterId', ParseUUIDPipe) letterId: string, @Res({ passthrough: true }) response: HeaderSink): Promise<StreamableFile> {
    const letter = await letterPdf(this.pool, letterId);
    if (!letter) throw new NotFoundException(`no letter ${letterId}`);
    response.setHeader('content-type', PDF_CONTENT_TYPE);
    response.setHeader('content-disposition', `inline; filename="${letterFileName(letter.summary)}"`);
    return new StreamableFile(letter.pdf);
  }
}
