import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, ApiPageResponse, ErrorResponse, mapPage, Page, tenant } from '@parley/api/core';
import { createReadStream } from 'node:fs';
import { OPT_IN_STATUSES } from './entities/contact.entity';
import { badFile } from './contacts.errors';
import { ContactsImportService } from './contacts-import.service';
import { ContactsService } from './contacts.service';
import { CSV_UPLOAD, CsvUploadErrors, MAX_CSV_MEGABYTES } from './csv-upload';
import {
  ContactDto,
  ContactsQuery,
  CreateContactDto,
  ImportContactsDto,
  ImportReportDto,
  UpdateContactDto,
} from './dto/contact.dto';

@ApiTags('Contacts')
@ApiOrgScoped()
@Controller('orgs/:orgId/contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly imports: ContactsImportService,
  ) {}

  @Post()
  @ApiOperation({ operationId: 'createContact', summary: 'Add a contact; the phone is stored in E.164' })
  @ApiCreatedResponse({ type: ContactDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async create(@Body() body: CreateContactDto): Promise<ContactDto> {
    return ContactDto.from(await this.contacts.create(tenant().orgId, body));
  }

  @Get()
  @ApiOperation({
    operationId: 'listContacts',
    summary: 'Contacts, newest first, searched by name or phone and filtered by tags and opt-in state',
  })
  @ApiPageResponse(ContactDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: ContactsQuery): Promise<Page<ContactDto>> {
    return mapPage(await this.contacts.list(tenant().orgId, query), ContactDto.from);
  }

  @Post('import')
  @HttpCode(200)
  @UseInterceptors(CsvUploadErrors, FileInterceptor('file', CSV_UPLOAD))
  @ApiOperation({
    operationId: 'importContacts',
    summary: 'Import contacts from a CSV file (header row: phone, name, tags, opt_in; other columns become attributes)',
    description:
      'Header names are matched ignoring case, spaces, - and _; every other column becomes an attribute ' +
      '(keyed by its header, snake_cased when it is not already a valid key; empty cells leave values alone). ' +
      'Tags in a cell are separated by ; | or ,. ' +
      'Rows are upserted by phone: tags and attributes are merged into existing contacts, a name replaces ' +
      'the stored one only when the row has one. Bad rows are skipped and reported by row number ' +
      '(the header is row 1); the rest are imported.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: `UTF-8 CSV, at most ${MAX_CSV_MEGABYTES} MB` },
        defaultCountry: { type: 'string', example: 'BR', description: 'Country for numbers written without +' },
        tags: { type: 'string', example: 'imported;spring-fair', description: 'Tags added to every row' },
        optInStatus: { type: 'string', enum: [...OPT_IN_STATUSES], description: 'For rows without an opt-in value' },
      },
    },
  })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiErrors(400, 401, 403, 404)
  @ApiResponse({ status: 413, description: `The file is larger than ${MAX_CSV_MEGABYTES} MB`, type: ErrorResponse })
  async import(
    @UploadedFile() file: { path: string } | undefined,
    @Body() body: ImportContactsDto,
  ): Promise<ImportReportDto> {
    if (!file) throw badFile('file is required: send the CSV as multipart/form-data in the field "file"');
    return this.imports.import(tenant().orgId, createReadStream(file.path), body);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getContact', summary: 'A contact' })
  @ApiOkResponse({ type: ContactDto })
  @ApiErrors(401, 403, 404)
  async get(@Param('id') id: string): Promise<ContactDto> {
    return ContactDto.from(await this.contacts.get(tenant().orgId, id));
  }

  @Patch(':id')
  @ApiOperation({
    operationId: 'updateContact',
    summary: 'Change name, phone, tags (replaced), attributes (merged; null removes a key) or opt-in state',
  })
  @ApiOkResponse({ type: ContactDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async update(@Param('id') id: string, @Body() body: UpdateContactDto): Promise<ContactDto> {
    return ContactDto.from(await this.contacts.update(tenant().orgId, id, body));
  }
}
