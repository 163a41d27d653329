import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { OrganizationsModule } from '@parley/api/organizations';
import { ContactsImportService } from './contacts-import.service';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';
import { Contact } from './entities/contact.entity';
import { OptInKeywords } from './opt-in-keywords';

@Module({
  imports: [TypeOrmModule.forFeature([Contact]), AuditModule, OrganizationsModule],
  controllers: [ContactsController],
  providers: [ContactsService, ContactsImportService, OptInKeywords],
  exports: [ContactsService, OptInKeywords],
})
export class ContactsModule {}
