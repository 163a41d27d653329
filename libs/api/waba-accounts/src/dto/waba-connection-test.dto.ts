import { ApiProperty } from '@nestjs/swagger';
import { PhoneNumberDto } from './phone-number.dto';

/** The WhatsApp Business Account as Meta showed it to the stored token. */
export class WabaBusinessDto {
  @ApiProperty({ example: '102290129340398', description: "Meta's WhatsApp Business Account id" })
  id!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Acme Retail' })
  name!: string | null;
}

export class WabaConnectionTestDto {
  @ApiProperty({ type: Boolean, example: true, description: 'Always true: a refused test answers 422' })
  ok!: true;

  @ApiProperty({ type: WabaBusinessDto })
  business!: WabaBusinessDto;

  @ApiProperty({
    type: [PhoneNumberDto],
    description: "The numbers Meta lists for the WABA, as now stored: new ones added, known ones' details refreshed",
  })
  phoneNumbers!: PhoneNumberDto[];
}
