import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseIntPipe, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { ConflictProblem, ValidationProblem } from '@arc/platform';
import { StatementImporter, reportOf, type StatementReport } from '../../statements/statement-import.service';
import { StatementStore } from '../../statements/statement-store';
import type { ImportRequest } from '../../statements/statement-entry';
import { ROLE_MATRIX } from '../role-matrix';
import { CreateStatementDto, StatementPartDto } from './bank-statements.dto';

/**
 * Bank statements: CSV (with a column mapping), camt.053, camt.054 and MT940. The upload is JSON (ARC's API speaks
 * JSON, requests at most 512 kB): a small file in one request (`content`), a large one in numbered parts, then
 * POST …/import. The import streams the stored parts (memory stays flat), reports progress on GET, and when
 * interrupted resumes after its last committed chunk on the next POST …/import. Any malformed entry or file rejects
 * the whole statement (422 `urn:arc:problem:statement-rejected`, each problem with entry, line and reason): nothing of
 * it is imported.
 */
@ApiTags('bank statements')
@Controller('bank-statements')
export class BankStatementsController {
  constructor(
    @Inject(StatementStore) private readonly store: StatementStore,
    @Inject(StatementImporter) private readonly importer: StatementImporter,
  ) {}

  /** Registers a statement (idempotent by statementId); with `content`, stores it as part 1 and imports it at once. */
  @Post()
  @HttpCode(201)
  @Roles(ROLE_MATRIX.importStatements)
  async create(@Body() dto: CreateStatementDto, @Actor() actor: AuthenticatedActor): Promise<StatementReport> {
    if (dto.format === 'csv' && dto.csv === undefined) {
      throw new ValidationProblem([
        { field: 'csv', constraint: 'isDefined', detail: 'csv (the column mapping) is required for a CSV statement' },
      ]);
    }
    const statementId = dto.statementId ?? randomUUID();
    const request: ImportRequest & { fileName: string | null } = {
      format: dto.format,
      ...(dto.csv === undefined ? {} : { csv: { ...dto.csv, mapping: { ...dto.csv.mapping } } }),
      fileName: dto.fileName ?? null,
    };
    await this.store.create(statementId, request, actor.id);
    if (dto.content !== undefined) {
      await this.putPart(statementId, 1, dto.content);
      return this.runImport(statementId, actor);
    }
    return this.report(statementId);
  }

  /** Stores part `seq` (1, 2, …) of the file; the same part again is accepted, another text under the same number is 409. */
  @Put(':statementId/parts/:seq')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.importStatements)
  async part(
    @Param('statementId', ParseUUIDPipe) statementId: string,
    @Param('seq', ParseIntPipe) seq: number,
    @Body() dto: StatementPartDto,
  ): Promise<StatementReport> {
    if (seq < 1 || seq > 100_000)
      throw new ValidationProblem([{ field: 'seq', constraint: 'min', detail: 'seq must be from 1 to 100000' }]);
    await this.putPart(statementId, seq, dto.content);
    return this.report(statementId);
  }

  /** Imports the uploaded parts (or resumes an interrupted import): 200 with the counts, or 422 listing the problems. */
  @Post(':statementId/import')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.importStatements)
  async import(@Param('statementId', ParseUUIDPipe) statementId: string, @Actor() actor: AuthenticatedActor): Promise<StatementReport> {
    return this.runImport(statementId, actor);
  }

  /** The statement's status and progress: `checkpoint` of `entries` imported, receipts, duplicates, suspense, problems. */
  @Get(':statementId')
  @Roles(ROLE_MATRIX.readStatements)
  async get(@Param('statementId', ParseUUIDPipe) statementId: string): Promise<StatementReport> {
    return this.report(statementId);
  }

  private async report(statementId: string): Promise<StatementReport> {
    const row = await this.store.statement(statementId);
    if (row === null) throw new NotFoundException(`no bank statement ${statementId}`);
    return reportOf(row);
  }

  private async putPart(statementId: string, seq: number, content: string): Promise<void> {
    const row = await this.store.statement(statementId);
    if (row === null) throw new NotFoundException(`no bank statement ${statementId}`);
    if (row.status !== 'uploading')
      throw new ConflictProblem(`bank statement ${statementId} is ${row.status}: its parts can no longer change`);
    if (!(await this.store.putPart(statementId, seq, content))) {
      throw new ConflictProblem(`part ${seq} of bank statement ${statementId} was uploaded before with another text`);
    }
  }

  /** One import of a statement at a time (a session lock held on a connection of its own for the import's duration). */
  private async runImport(statementId: string, actor: AuthenticatedActor): Promise<StatementReport> {
    const row = await this.store.statement(statementId);
    if (row === null) throw new NotFoundException(`no bank statement ${statementId}`);
    const lock = await this.store.pool.connect();
    try {
      const { rows } = await lock.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [
        `statement:${statementId}`,
      ]);
      if (rows[0]?.locked !== true)
        throw new ConflictProblem(
          `bank statement ${statementId} is being imported right now: follow it on GET /v1/bank-statements/${statementId}`,
        );
      try {
        return await this.importer.run((await this.store.statement(statementId)) ?? row, actor.id);
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`statement:${statementId}`]);
      }
    } finally {
      lock.release();
    }
  }
}
