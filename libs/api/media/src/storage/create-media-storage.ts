import type { AppConfig } from '@parley/api/core';
import { LocalMediaStorage } from './local-media-storage';
import type { MediaStorage } from './media-storage';
import { S3MediaStorage } from './s3-media-storage';

type StorageConfig = Pick<
  AppConfig,
  | 'MEDIA_STORAGE_DRIVER'
  | 'MEDIA_STORAGE_DIR'
  | 'S3_ENDPOINT'
  | 'S3_REGION'
  | 'S3_BUCKET'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_FORCE_PATH_STYLE'
>;

/** The driver MEDIA_STORAGE_DRIVER names (loadConfig has already insisted on the S3 settings it needs). */
export function createMediaStorage(config: StorageConfig): MediaStorage {
  if (config.MEDIA_STORAGE_DRIVER === 'local') return new LocalMediaStorage(config.MEDIA_STORAGE_DIR);
  const required = (name: keyof StorageConfig): string => {
    const value = config[name];
    if (typeof value !== 'string' || value === '')
      throw new Error(`${name} is required when MEDIA_STORAGE_DRIVER is s3`);
    return value;
  };
  return new S3MediaStorage({
    endpoint: required('S3_ENDPOINT'),
    region: config.S3_REGION,
    bucket: required('S3_BUCKET'),
    accessKeyId: required('S3_ACCESS_KEY_ID'),
    secretAccessKey: required('S3_SECRET_ACCESS_KEY'),
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
}
