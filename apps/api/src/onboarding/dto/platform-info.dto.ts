import { ApiProperty } from '@nestjs/swagger';

/** What the console needs to know about this deployment before anyone signs in. */
export class PlatformInfoDto {
  @ApiProperty({
    description: 'The platform runs against the bundled WhatsApp sandbox: `connectSandbox` can create a WABA in it',
  })
  sandbox!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'http://localhost:4100',
    description: "The sandbox's chat page (chat as a customer); null when the platform talks to Meta",
  })
  sandboxUrl!: string | null;

  @ApiProperty({ example: '0.1.0' })
  version!: string;
}
