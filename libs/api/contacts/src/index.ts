export * from './contacts.module';
export * from './contacts.service';
export * from './contact-fields';
export * from './dto/contact.dto';
export * from './entities/contact.entity';
export * from './opt-in-keywords';
export * from './phone';
export * from './webhook-redaction';
