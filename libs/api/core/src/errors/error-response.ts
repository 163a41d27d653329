import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from './domain-error';

export class ErrorBody {
  @ApiProperty({ enum: ErrorCode, example: ErrorCode.ValidationFailed })
  code!: ErrorCode;

  @ApiProperty({ example: 'email must be an email' })
  message!: string;

  @ApiPropertyOptional({
    description: 'For validation errors, the fields at fault: [{ field, message }]',
    example: [{ field: 'email', message: 'email must be an email' }],
    oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'object' }],
  })
  details?: unknown;
}

/** The body of every error response. */
export class ErrorResponse {
  @ApiProperty({ type: ErrorBody })
  error!: ErrorBody;

  @ApiProperty({ example: '5f0c6a43-35c1-4a6e-9d4f-3d6f3a1f7c2e' })
  requestId!: string;
}
