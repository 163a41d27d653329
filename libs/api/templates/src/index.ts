export * from './dto/template.dto';
export * from './entities/template.entity';
export * from './templates.module';
export * from './templates.service';
