import { join } from 'node:path';
import { register } from 'tsconfig-paths';
import { compilerOptions } from '../../../tsconfig.base.json';

// Jest loads global setup and teardown with plain require, outside its resolver: teach it the @parley/* paths.
register({ baseUrl: join(__dirname, '..', '..', '..'), paths: compilerOptions.paths });
