import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Optional, PageQuery, Trim } from '@parley/api/core';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length, ValidateBy, ValidateIf } from 'class-validator';
import {
  Attributes,
  attributesProblem,
  CONTACT_LIMITS,
  normalizeTags,
  splitTagList,
  tagsProblem,
} from '../contact-fields';
import { Contact, OPT_IN_STATUSES, OptInStatus } from '../entities/contact.entity';
import { isPhoneCountry } from '../phone';

/** Attributes as stored: strings, numbers and booleans. */
const ATTRIBUTES_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  example: { tier: 'gold', points: 1200, vip: true },
};

/** Attributes as written: null as well, which removes the key. */
const ATTRIBUTES_INPUT_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }],
  },
  example: { tier: 'gold', points: 1200, vip: true },
};

/** Tags as sent (a JSON array, or a `;`/`|`/`,` list in queries and forms), normalized before validation. */
const NormalizeTagList = () =>
  Transform(({ value }: { value: unknown }) => {
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || !list.every((tag): tag is string => typeof tag === 'string')) return value;
    return normalizeTags(list.flatMap(splitTagList));
  });

const NormalizeTags = () =>
  Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) && value.every((tag): tag is string => typeof tag === 'string') ? normalizeTags(value) : value,
  );

const tagsMessage = (value: unknown, property: string) =>
  Array.isArray(value) && value.every((tag) => typeof tag === 'string')
    ? (tagsProblem(value, property) ?? '')
    : `${property} must be a list of strings`;

const IsTags = () =>
  ValidateBy({
    name: 'isTags',
    validator: {
      validate: (value, args) => tagsMessage(value, args?.property ?? 'tags') === '',
      defaultMessage: (args) => tagsMessage(args?.value, args?.property ?? 'tags'),
    },
  });

const IsAttributes = () =>
  ValidateBy({
    name: 'isAttributes',
    validator: {
      validate: (value) => attributesProblem(value) === null,
      defaultMessage: (args) => attributesProblem(args?.value) ?? '',
    },
  });

const CountryCode = () => Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value));
const IsPhoneCountry = () =>
  ValidateBy({
    name: 'isPhoneCountry',
    validator: {
      validate: (value) => typeof value === 'string' && isPhoneCountry(value),
      defaultMessage: () => 'defaultCountry must be an ISO 3166-1 alpha-2 country code, like BR or US',
    },
  });

const BooleanText = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

export class CreateContactDto {
  @ApiProperty({
    example: '+55 11 98765-4321',
    description: 'Any common format; stored in E.164. A number without + is read in `defaultCountry`',
  })
  @Trim()
  @IsString()
  @Length(1, 40)
  phone!: string;

  @ApiPropertyOptional({ example: 'BR', description: 'ISO 3166-1 alpha-2 country for national numbers' })
  @Optional()
  @CountryCode()
  @IsPhoneCountry()
  defaultCountry?: string;

  @ApiPropertyOptional({ example: 'Maria Souza', maxLength: CONTACT_LIMITS.nameLength })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, CONTACT_LIMITS.nameLength)
  name?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['vip', 'newsletter'],
    description: `Stored trimmed, lower-cased and without duplicates; at most ${CONTACT_LIMITS.tags} of ${CONTACT_LIMITS.tagLength} characters, without , ; or |`,
  })
  @Optional()
  @NormalizeTags()
  @IsTags()
  tags?: string[];

  @ApiPropertyOptional({
    ...ATTRIBUTES_INPUT_SCHEMA,
    description: `Flat custom fields: keys are letters, digits and _ (starting with a letter, at most 64); values strings (at most ${CONTACT_LIMITS.attributeValueLength} characters), numbers, booleans or null; at most ${CONTACT_LIMITS.attributes} keys`,
  })
  @Optional()
  @IsAttributes()
  attributes?: Attributes;

  @ApiPropertyOptional({
    enum: OPT_IN_STATUSES,
    description: 'Records the source (`api` for API keys, `console` for people) and the time',
  })
  @Optional()
  @IsIn(OPT_IN_STATUSES)
  optInStatus?: OptInStatus;
}

export class UpdateContactDto {
  @ApiPropertyOptional({ example: '+55 11 98765-4321', description: 'Re-normalized to E.164' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 40)
  phone?: string;

  @ApiPropertyOptional({ example: 'BR', description: 'Country for a national `phone`' })
  @Optional()
  @CountryCode()
  @IsPhoneCountry()
  defaultCountry?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null clears it (the profile name shows)' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Trim()
  @IsString()
  @Length(1, CONTACT_LIMITS.nameLength)
  name?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'Replaces the tags' })
  @Optional()
  @NormalizeTags()
  @IsTags()
  tags?: string[];

  @ApiPropertyOptional({
    ...ATTRIBUTES_INPUT_SCHEMA,
    description: 'Merged into the attributes; a key set to null is removed',
  })
  @Optional()
  @IsAttributes()
  attributes?: Attributes;

  @ApiPropertyOptional({ enum: OPT_IN_STATUSES })
  @Optional()
  @IsIn(OPT_IN_STATUSES)
  optInStatus?: OptInStatus;
}

export class ContactsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the name, profile name or phone number', example: 'maria' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Only contacts with all of these tags: repeat the parameter or separate with commas',
    example: ['vip', 'newsletter'],
  })
  @Optional()
  @NormalizeTagList()
  @IsTags()
  tag?: string[];

  @ApiPropertyOptional({ enum: OPT_IN_STATUSES })
  @Optional()
  @IsIn(OPT_IN_STATUSES)
  optInStatus?: OptInStatus;

  @ApiPropertyOptional({ description: 'Include contacts whose personal data was erased', default: false })
  @Optional()
  @BooleanText()
  @IsBoolean({ message: 'includeErased must be true or false' })
  includeErased?: boolean;
}

/** The form fields sent along with an import's file. */
export class ImportContactsDto {
  @ApiPropertyOptional({ example: 'BR', description: 'Country for numbers written without +' })
  @Optional()
  @CountryCode()
  @IsPhoneCountry()
  defaultCountry?: string;

  @ApiPropertyOptional({
    example: 'imported;spring-fair',
    description: 'Tags added to every row (`;`, `|` or `,` between them)',
  })
  @Optional()
  @NormalizeTagList()
  @IsTags()
  tags?: string[];

  @ApiPropertyOptional({ enum: OPT_IN_STATUSES, description: 'For rows without an opt-in value of their own' })
  @Optional()
  @IsIn(OPT_IN_STATUSES)
  optInStatus?: OptInStatus;
}

export class ImportErrorDto {
  @ApiProperty({ example: 7, description: 'The row as a spreadsheet numbers it (the header is row 1)' })
  row!: number;

  @ApiProperty({ example: 'phone', description: 'The column, by its header in the file (or `file`)' })
  field!: string;

  @ApiProperty({ example: 'phone is not a valid phone number (use +country code, or send defaultCountry)' })
  message!: string;
}

export class ImportReportDto {
  @ApiProperty({ example: 10000, description: 'Data rows read (blank rows are not counted)' })
  rows!: number;

  @ApiProperty({ example: 9200, description: 'Contacts created' })
  created!: number;

  @ApiProperty({ example: 700, description: 'Existing contacts updated' })
  updated!: number;

  @ApiProperty({ example: 60, description: 'Rows repeating a phone of an earlier row: merged into it' })
  duplicates!: number;

  @ApiProperty({ example: 40, description: 'Rows skipped for errors' })
  skipped!: number;

  @ApiProperty({ type: [ImportErrorDto], description: 'Why rows were skipped, in file order (the first 1,000)' })
  errors!: ImportErrorDto[];

  @ApiProperty({ example: false, description: 'True when there were more errors than listed' })
  errorsTruncated!: boolean;
}

export class ContactDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '+5511987654321', description: 'E.164; after erasure a tombstone that matches no number' })
  phone!: string;

  @ApiProperty({ example: '5511987654321', description: "WhatsApp's id for the person" })
  waId!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Maria Souza' })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Maria', description: 'From their WhatsApp profile' })
  profileName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Maria Souza', description: 'name, else the profile name' })
  displayName!: string | null;

  @ApiProperty({ type: [String], example: ['vip'] })
  tags!: string[];

  @ApiProperty(ATTRIBUTES_SCHEMA)
  attributes!: Attributes;

  @ApiProperty({ enum: OPT_IN_STATUSES })
  optInStatus!: OptInStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'console',
    description: '`api`, `console`, `import`, `whatsapp_keyword`...',
  })
  optInSource!: string | null;

  @ApiProperty({ type: Date, nullable: true })
  optInChangedAt!: Date | null;

  @ApiProperty({ type: Date, nullable: true, description: 'When they last wrote to any of the org’s numbers' })
  lastInboundAt!: Date | null;

  @ApiProperty({ type: Date, nullable: true, description: 'When their personal data was erased' })
  erasedAt!: Date | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from(contact: Contact): ContactDto {
    return {
      id: contact.id,
      phone: contact.phone,
      waId: contact.waId,
      name: contact.name,
      profileName: contact.profileName,
      displayName: contact.name ?? contact.profileName,
      tags: contact.tags,
      attributes: contact.attributes,
      optInStatus: contact.optInStatus,
      optInSource: contact.optInSource,
      optInChangedAt: contact.optInChangedAt,
      lastInboundAt: contact.lastInboundAt,
      erasedAt: contact.erasedAt,
      createdAt: contact.createdAt,
      updatedAt: contact.updatedAt,
    };
  }
}
