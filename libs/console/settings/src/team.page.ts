import { Clipboard } from '@angular/cdk/clipboard';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  Api,
  changeMemberRole,
  createInvitation,
  type CreatedInvitationDto,
  type InvitationDto,
  listInvitations,
  listMembers,
  type MemberDto,
  removeMember,
  revokeInvitation,
} from '@parley/console/api-client';
import { type Role, Session } from '@parley/console/core';
import { attempt } from './attempt';
import { type ConfirmData, ConfirmDialog, Icon } from '@parley/console/ui';
import { SettingsNav } from './settings-nav';

const ROLES: { value: Role; label: string }[] = [
  { value: 'owner', label: 'Owner' },
  { value: 'admin', label: 'Admin' },
  { value: 'agent', label: 'Agent' },
  { value: 'viewer', label: 'Viewer' },
];

/** The org's members and their roles, and invitations: a link to send to whoever joins. */
@Component({
  selector: 'app-team',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    Icon,
    SettingsNav,
  ],
  templateUrl: './team.page.html',
  styleUrl: './settings.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamPage {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);
  protected readonly roles = ROLES;
  protected readonly members = signal<MemberDto[]>([]);
  protected readonly invitations = signal<InvitationDto[]>([]);
  protected readonly created = signal<CreatedInvitationDto | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    role: ['agent' as Role, Validators.required],
  });

  constructor() {
    effect(() => {
      this.session.orgId();
      untracked(() => void this.load());
    });
  }

  private run(action: (orgId: string) => Promise<unknown>): Promise<void> {
    const orgId = this.session.orgId();
    return orgId ? attempt(this.error, () => action(orgId)) : Promise.resolve();
  }

  private load(): Promise<void> {
    return this.run(async (orgId) => {
      const [members, invitations] = await Promise.all([
        this.api.invoke(listMembers, { orgId, limit: 100 }),
        this.api.invoke(listInvitations, { orgId, limit: 100 }),
      ]);
      this.members.set(members.data);
      this.invitations.set(invitations.data.filter((invitation) => invitation.status === 'pending'));
    });
  }

  protected invite(form: FormGroupDirective): Promise<void> {
    if (this.form.invalid) return Promise.resolve();
    return this.run(async (orgId) => {
      this.created.set(await this.api.invoke(createInvitation, { orgId, body: this.form.getRawValue() }));
      // A fresh form: not submitted, so its empty email is not flagged.
      form.resetForm({ email: '', role: 'agent' });
      await this.load();
    });
  }

  protected copy(link: string): void {
    this.clipboard.copy(link);
    this.snackBar.open('Invitation link copied', undefined, { duration: 2000 });
  }

  protected async changeRole(member: MemberDto, role: Role): Promise<void> {
    await this.run((orgId) => this.api.invoke(changeMemberRole, { orgId, userId: member.userId, body: { role } }));
    // Reloaded either way: a refused change (the last owner, say) shows the role as stored, and why.
    const error = this.error();
    await this.load();
    this.error.set(error);
  }

  protected remove(member: MemberDto): void {
    const data: ConfirmData = {
      title: `Remove ${member.name}?`,
      message: `${member.email} loses access to this organization at once, open sessions included.`,
      confirm: 'Remove',
    };
    this.dialog
      .open(ConfirmDialog, { data, width: '440px' })
      .afterClosed()
      .subscribe((confirmed?: boolean) => {
        if (confirmed)
          void this.run(async (orgId) => {
            await this.api.invoke(removeMember, { orgId, userId: member.userId });
            await this.load();
          });
      });
  }

  protected revoke(invitation: InvitationDto): Promise<void> {
    return this.run(async (orgId) => {
      await this.api.invoke(revokeInvitation, { orgId, invitationId: invitation.id });
      await this.load();
    });
  }
}
