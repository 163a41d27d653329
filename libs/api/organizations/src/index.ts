export * from './dto/organization.dto';
export * from './entities/invitation.entity';
export * from './entities/membership.entity';
export * from './entities/org-owned.entity';
export * from './entities/organization.entity';
export * from './invitations.service';
export * from './organizations.module';
export * from './organizations.service';
