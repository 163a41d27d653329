import { ApiProperty } from '@nestjs/swagger';
import { Trim } from '@parley/api/core';
import { IsString, Length } from 'class-validator';
import type { Note } from '../entities/note.entity';

export class CreateNoteDto {
  @ApiProperty({ example: 'Customer prefers delivery after 6 pm.', minLength: 1, maxLength: 4096 })
  @Trim()
  @IsString()
  @Length(1, 4096)
  body!: string;
}

export class NoteDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  conversationId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'The member who wrote it (null for API keys)',
  })
  authorId!: string | null;

  @ApiProperty()
  body!: string;

  @ApiProperty()
  createdAt!: Date;

  static from(note: Note): NoteDto {
    return {
      id: note.id,
      conversationId: note.conversationId,
      authorId: note.authorId,
      body: note.body,
      createdAt: note.createdAt,
    };
  }
}
