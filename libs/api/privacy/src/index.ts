export * from './dto/contact-export.dto';
export * from './privacy.module';
export * from './privacy.service';
export * from './retention.service';
