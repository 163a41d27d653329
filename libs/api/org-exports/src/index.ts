export * from './entities/org-export.entity';
export * from './dto/org-export.dto';
export * from './export-plan';
export * from './org-exporter';
export * from './org-exports.module';
