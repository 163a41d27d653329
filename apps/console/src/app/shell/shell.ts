import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Session } from '@parley/console/core';
import { Realtime } from '@parley/console/realtime';
import { TokenBanner } from './token-banner';
import { Icon, type IconName, initials } from '@parley/console/ui';

interface NavItem {
  path: string;
  label: string;
  icon: IconName;
  admin?: boolean;
}

const NAV: NavItem[] = [
  { path: '/inbox', label: 'Inbox', icon: 'inbox' },
  { path: '/contacts', label: 'Contacts', icon: 'contacts' },
  { path: '/campaigns', label: 'Campaigns', icon: 'campaign' },
  { path: '/templates', label: 'Templates', icon: 'template' },
  { path: '/analytics', label: 'Analytics', icon: 'chart' },
  { path: '/automation', label: 'Automation', icon: 'bolt' },
  { path: '/settings', label: 'Settings', icon: 'settings', admin: true },
];

/** The frame of every signed-in page: the navigation rail, the org switcher and the user menu. */
@Component({
  selector: 'app-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatButtonModule,
    MatMenuModule,
    MatSelectModule,
    MatTooltipModule,
    Icon,
    TokenBanner,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  private readonly router = inject(Router);
  protected readonly session = inject(Session);
  protected readonly realtime = inject(Realtime);

  protected nav(): NavItem[] {
    return NAV.filter((item) => !item.admin || this.session.can('admin'));
  }

  protected switchOrg(orgId: string): void {
    if (orgId === '+') {
      void this.router.navigateByUrl('/welcome');
      return;
    }
    this.session.selectOrg(orgId);
    // Pages below the admin rank may be out of reach in the new org.
    void this.router.navigateByUrl('/inbox');
  }

  protected async signOut(): Promise<void> {
    await this.session.signOut();
    await this.router.navigateByUrl('/sign-in');
  }

  protected readonly initials = initials;
}
