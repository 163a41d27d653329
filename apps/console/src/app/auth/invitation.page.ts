import { ChangeDetectionStrategy, Component, inject, input, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Router, RouterLink } from '@angular/router';
import { acceptInvitation, Api, type InvitationPreviewDto, previewInvitation } from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { Brand } from '@parley/console/ui';

/** The page an invitation link opens: who invites you where, then sign in (or up) and accept. */
@Component({
  selector: 'app-invitation',
  imports: [MatButtonModule, MatProgressSpinnerModule, RouterLink, Brand],
  template: `
    <main class="auth-screen">
      <section class="auth-card" aria-labelledby="invitation-title">
        <app-brand />
        <h1 id="invitation-title">Join a team</h1>
        @if (invitation(); as invitation) {
          <p>
            You are invited to <strong>{{ invitation.orgName }}</strong> as <strong>{{ invitation.role }}</strong> ({{
              invitation.email
            }}).
          </p>
          @if (session.signedIn()) {
            <button mat-flat-button type="button" (click)="accept()" [disabled]="busy()">Accept invitation</button>
          } @else {
            <div class="row">
              <a mat-flat-button routerLink="/sign-in" [queryParams]="{ returnUrl: here() }">Sign in to accept</a>
              <a mat-button routerLink="/sign-up" [queryParams]="{ returnUrl: here() }">Create an account</a>
            </div>
          }
        } @else if (!error()) {
          <mat-spinner diameter="32" aria-label="Loading the invitation" />
        }
        @if (error()) {
          <p class="error-text" role="alert">{{ error() }}</p>
        }
      </section>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InvitationPage implements OnInit {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  protected readonly session = inject(Session);
  readonly token = input.required<string>();
  protected readonly invitation = signal<InvitationPreviewDto | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  protected here(): string {
    return `/invitations/${this.token()}`;
  }

  async ngOnInit(): Promise<void> {
    try {
      this.invitation.set(await this.api.invoke(previewInvitation, { token: this.token() }));
    } catch (error) {
      const problem = problemOf(error);
      this.error.set(problem.status === 404 ? 'This invitation does not exist or was revoked.' : problem.message);
    }
  }

  async accept(): Promise<void> {
    this.busy.set(true);
    try {
      const org = await this.api.invoke(acceptInvitation, { token: this.token() });
      await this.session.loadMe();
      this.session.selectOrg(org.id);
      await this.router.navigateByUrl('/inbox');
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.busy.set(false);
    }
  }
}
