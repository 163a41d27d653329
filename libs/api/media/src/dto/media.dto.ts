import { ApiProperty } from '@nestjs/swagger';
import { API_PREFIX } from '@parley/api/core';
import { MEDIA_TYPES, MediaType } from '@parley/whatsapp/cloud-api';
import { Media, MEDIA_STATUSES, MediaStatus } from '../entities/media.entity';

/** A media file as the API shows it (and as messages embed it under `media`). */
export class MediaDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: MEDIA_TYPES })
  kind!: MediaType;

  @ApiProperty({ example: 'image/jpeg' })
  mimeType!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Null until an inbound file is downloaded' })
  sizeBytes!: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'invoice-1042.pdf' })
  filename!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 of the bytes, base64' })
  sha256!: string | null;

  @ApiProperty({
    enum: MEDIA_STATUSES,
    description: '`pending` while an inbound file is downloaded from WhatsApp, then `stored` or `failed`',
  })
  status!: MediaStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Why the download failed (when `failed`)' })
  error!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty({
    example: '/api/v1/orgs/6f1c.../media/1b9d.../content',
    description: 'Where the bytes are (same authentication as the API)',
  })
  url!: string;

  static from(media: Media): MediaDto {
    return {
      id: media.id,
      kind: media.kind,
      mimeType: media.mimeType,
      sizeBytes: media.sizeBytes,
      filename: media.filename,
      sha256: media.sha256,
      status: media.status,
      error: media.error,
      createdAt: media.createdAt,
      url: `/${API_PREFIX}/orgs/${media.orgId}/media/${media.id}/content`,
    };
  }
}
