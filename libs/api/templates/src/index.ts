export * from './entities/template.entity';
