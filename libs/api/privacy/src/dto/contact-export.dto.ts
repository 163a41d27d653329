import { ApiProperty } from '@nestjs/swagger';
import { ContactDto } from '@parley/api/contacts';
import { ConversationDto, MessageDto, NoteDto } from '@parley/api/conversations';
import { MediaDto } from '@parley/api/media';

/** Everything Parley holds about one contact (GDPR access and portability). */
export class ContactExportDto {
  @ApiProperty()
  exportedAt!: Date;

  @ApiProperty({ format: 'uuid' })
  orgId!: string;

  @ApiProperty({ type: ContactDto })
  contact!: ContactDto;

  @ApiProperty({ type: [ConversationDto] })
  conversations!: ConversationDto[];

  @ApiProperty({ type: [MessageDto], description: 'Oldest first, across all conversations' })
  messages!: MessageDto[];

  @ApiProperty({ type: [NoteDto], description: "The team's private notes on their conversations" })
  notes!: NoteDto[];

  @ApiProperty({
    type: [MediaDto],
    description: "The files of their messages; each `url` serves the file's content",
  })
  media!: MediaDto[];
}
