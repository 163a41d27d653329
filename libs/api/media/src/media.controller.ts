import { Controller, Get, HttpCode, Logger, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, DomainError, ErrorCode, tenant } from '@parley/api/core';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { MediaDto } from './dto/media.dto';
import { contentDisposition, MEDIA_CONTENT_SECURITY_POLICY } from './media-files';
import { MediaUploadInterceptor, UploadedMediaFile } from './media-upload.interceptor';
import { MediaService } from './media.service';

@ApiTags('Media')
@ApiOrgScoped()
@Controller('orgs/:orgId/media')
export class MediaController {
  private readonly logger = new Logger(MediaController.name);

  constructor(private readonly media: MediaService) {}

  @Post()
  @HttpCode(201)
  @UseInterceptors(MediaUploadInterceptor)
  @ApiOperation({
    operationId: 'uploadMedia',
    summary: "Upload a file to send on WhatsApp (checked against Meta's types and sizes)",
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description:
            'The file, with its Content-Type: JPEG or PNG image (5 MB), WebP sticker (500 KB), MP4 or 3GPP video (16 MB), AAC, AMR, MP3, M4A or OGG audio (16 MB), PDF, text or Office document (100 MB)',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: MediaDto })
  @ApiErrors(400, 401, 403, 404, 413, 422)
  async upload(@UploadedFile() file: UploadedMediaFile | undefined): Promise<MediaDto> {
    if (!file)
      throw DomainError.invalidField(
        ErrorCode.ValidationFailed,
        'file',
        'file is required: send it as multipart/form-data in the field "file"',
      );
    const media = await this.media.upload(tenant().orgId, {
      path: file.path,
      mimeType: file.mimetype,
      filename: file.originalname,
      size: file.size,
    });
    return MediaDto.from(media);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getMedia', summary: "A media file's details and download status" })
  @ApiOkResponse({ type: MediaDto })
  @ApiErrors(401, 403, 404)
  async get(@Param('id') id: string): Promise<MediaDto> {
    return MediaDto.from(await this.media.get(tenant().orgId, id));
  }

  @Get(':id/content')
  @ApiOperation({
    operationId: 'getMediaContent',
    summary:
      'The file itself, with its type; images, audio and video inline, other files as attachments. 404 until an inbound file is downloaded',
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: "The file's bytes", schema: { type: 'string', format: 'binary' } })
  @ApiErrors(401, 403, 404)
  async content(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const { media, stream } = await this.media.open(tenant().orgId, id);
    res.status(200);
    res.setHeader('Content-Type', media.mimeType);
    if (media.sizeBytes !== null) res.setHeader('Content-Length', String(media.sizeBytes));
    res.setHeader('Content-Disposition', contentDisposition(media));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', MEDIA_CONTENT_SECURITY_POLICY);
    res.setHeader('Cache-Control', 'private');
    try {
      await pipeline(stream, res);
    } catch (error) {
      // pipeline has cut the connection, so the client sees the body is incomplete; a client that left is no news.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE')
        this.logger.warn(
          `media ${media.id}: stopped serving: ${error instanceof Error ? error.message : String(error)}`,
        );
    }
  }
}
