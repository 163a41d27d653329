import { ApiPropertyOptional } from '@nestjs/swagger';
import { Optional, Trim } from '@parley/api/core';
import { IsString, Length } from 'class-validator';

/** Everything else (ids, secrets, the phone number) is generated. */
export class ConnectSandboxDto {
  @ApiPropertyOptional({ example: 'WhatsApp sandbox', maxLength: 100, description: 'Defaults to "WhatsApp sandbox"' })
  @Optional()
  @Trim()
  @IsString()
  @Length(1, 100)
  name?: string;
}
