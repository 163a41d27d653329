import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { NOT_NULL, Optional, Trim } from '@parley/api/core';
import { DEFAULT_THROUGHPUT_MPS, PhoneNumber, QUALITY_RATINGS, QualityRating } from '../entities/phone-number.entity';

export class CreatePhoneNumberDto {
  @ApiProperty({ example: '106540352242922', description: "Meta's phone number id (unique across the platform)" })
  @Trim()
  @Matches(/^\d{1,32}$/, { message: 'phoneNumberId must be the numeric id Meta shows for the phone number' })
  phoneNumberId!: string;

  @ApiProperty({ example: '+1 631-555-5555' })
  @Trim()
  @Matches(/^\+?[0-9][0-9 ().-]{2,31}$/, {
    message: 'displayPhoneNumber must be a phone number such as +1 631-555-5555',
  })
  displayPhoneNumber!: string;

  @ApiPropertyOptional({ example: 'Acme Retail' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 256)
  verifiedName?: string;

  @ApiPropertyOptional({ enum: QUALITY_RATINGS, default: 'UNKNOWN' })
  @Optional()
  @IsIn(QUALITY_RATINGS)
  qualityRating?: QualityRating;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    default: DEFAULT_THROUGHPUT_MPS,
    description: 'Messages per second Meta allows this number',
  })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  throughputMps?: number;
}

export class UpdatePhoneNumberDto extends PartialType(
  OmitType(CreatePhoneNumberDto, ['phoneNumberId'] as const),
  NOT_NULL,
) {}

export class PhoneNumberDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  wabaAccountId!: string;

  @ApiProperty({ example: '106540352242922' })
  phoneNumberId!: string;

  @ApiProperty({ example: '+1 631-555-5555' })
  displayPhoneNumber!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Acme Retail' })
  verifiedName!: string | null;

  @ApiProperty({ enum: QUALITY_RATINGS })
  qualityRating!: QualityRating;

  @ApiProperty({ example: DEFAULT_THROUGHPUT_MPS })
  throughputMps!: number;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from(number: PhoneNumber): PhoneNumberDto {
    return {
      id: number.id,
      wabaAccountId: number.wabaAccountId,
      phoneNumberId: number.phoneNumberId,
      displayPhoneNumber: number.displayPhoneNumber,
      verifiedName: number.verifiedName,
      qualityRating: number.qualityRating,
      throughputMps: number.throughputMps,
      createdAt: number.createdAt,
      updatedAt: number.updatedAt,
    };
  }
}
