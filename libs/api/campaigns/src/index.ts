export * from './campaigns.module';
export * from './campaigns.service';
export * from './campaign-stats';
export * from './dto/campaign.dto';
export * from './entities/campaign.entity';
export * from './entities/campaign-recipient.entity';
