import { Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ContactDto } from '@parley/api/contacts';
import { ApiErrors, ApiOrgScoped, tenant } from '@parley/api/core';
import type { Response } from 'express';
import { ContactExportDto } from './dto/contact-export.dto';
import { PrivacyService } from './privacy.service';

@ApiTags('Contacts')
@ApiOrgScoped()
@Controller('orgs/:orgId/contacts')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get(':id/export')
  @ApiOperation({
    operationId: 'exportContact',
    summary: 'Download everything held about a contact as JSON (GDPR access request)',
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ type: ContactExportDto, description: 'Sent as an attachment, `contact-<id>.json`' })
  @ApiErrors(401, 403, 404)
  async export(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<ContactExportDto> {
    const document = await this.privacy.export(tenant().orgId, id);
    res.setHeader('Content-Disposition', `attachment; filename="contact-${document.contact.id}.json"`);
    return document;
  }

  @Post(':id/erase')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'eraseContact',
    summary:
      "Erase a contact's personal data (GDPR): profile emptied, message bodies and files removed, counts kept. Idempotent",
  })
  @ApiOkResponse({ type: ContactDto, description: 'The erased contact' })
  @ApiErrors(401, 403, 404)
  async erase(@Param('id') id: string): Promise<ContactDto> {
    return ContactDto.from(await this.privacy.erase(tenant().orgId, id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteContact',
    summary: 'Delete a contact with their conversations, messages and files',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async delete(@Param('id') id: string): Promise<void> {
    await this.privacy.delete(tenant().orgId, id);
  }
}
