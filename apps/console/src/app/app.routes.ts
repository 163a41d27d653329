import { Routes } from '@angular/router';
import { guestGuard, orgGuard, roleGuard, signedInGuard } from '@parley/console/core';

export const routes: Routes = [
  {
    path: 'sign-in',
    title: 'Sign in',
    canActivate: [guestGuard],
    loadComponent: () => import('./auth/sign-in.page').then((m) => m.SignInPage),
  },
  {
    path: 'sign-up',
    title: 'Create your account',
    canActivate: [guestGuard],
    loadComponent: () => import('./auth/sign-up.page').then((m) => m.SignUpPage),
  },
  {
    path: 'invitations/:token',
    title: 'Invitation',
    loadComponent: () => import('./auth/invitation.page').then((m) => m.InvitationPage),
  },
  {
    path: '',
    canActivate: [signedInGuard],
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'inbox' },
      {
        path: 'welcome',
        title: 'Create an organization',
        loadComponent: () => import('./shell/welcome.page').then((m) => m.WelcomePage),
      },
      {
        path: 'inbox',
        title: 'Inbox',
        canActivate: [orgGuard],
        loadComponent: () => import('@parley/console/inbox').then((m) => m.InboxPage),
      },
      {
        path: 'inbox/:conversationId',
        title: 'Inbox',
        canActivate: [orgGuard],
        loadComponent: () => import('@parley/console/inbox').then((m) => m.InboxPage),
      },
      {
        path: 'contacts',
        title: 'Contacts',
        canActivate: [orgGuard],
        loadComponent: () => import('@parley/console/contacts').then((m) => m.ContactsPage),
      },
      {
        path: 'campaigns',
        title: 'Campaigns',
        canActivate: [orgGuard],
        loadComponent: () => import('@parley/console/campaigns').then((m) => m.CampaignsPage),
      },
      {
        path: 'campaigns/new',
        title: 'New campaign',
        canActivate: [orgGuard, roleGuard('admin')],
        loadComponent: () => import('@parley/console/campaigns').then((m) => m.CampaignBuilderPage),
      },
      {
        path: 'campaigns/:id/edit',
        title: 'Edit campaign',
        canActivate: [orgGuard, roleGuard('admin')],
        loadComponent: () => import('@parley/console/campaigns').then((m) => m.CampaignBuilderPage),
      },
      {
        path: 'campaigns/:id',
        title: 'Campaign',
        canActivate: [orgGuard],
        loadComponent: () => import('@parley/console/campaigns').then((m) => m.CampaignDetailPage),
      },
      {
        path: 'analytics',
        title: 'Analytics',
        canActivate: [orgGuard],
        loadComponent: () => import('@parley/console/analytics').then((m) => m.AnalyticsPage),
      },
      {
        path: 'templates',
        title: 'Templates',
        canActivate: [orgGuard],
        loadComponent: () => import('@parley/console/templates').then((m) => m.TemplatesPage),
      },
      {
        path: 'templates/new',
        title: 'New template',
        canActivate: [orgGuard, roleGuard('admin')],
        loadComponent: () => import('@parley/console/templates').then((m) => m.TemplateEditorPage),
      },
      {
        path: 'templates/:id',
        title: 'Template',
        canActivate: [orgGuard, roleGuard('admin')],
        loadComponent: () => import('@parley/console/templates').then((m) => m.TemplateEditorPage),
      },
      {
        path: 'automation',
        title: 'Automation',
        canActivate: [orgGuard],
        loadComponent: () => import('@parley/console/automation').then((m) => m.AutomationPage),
      },
      {
        path: 'automation/rules/new',
        title: 'New rule',
        canActivate: [orgGuard, roleGuard('admin')],
        loadComponent: () => import('@parley/console/automation').then((m) => m.RuleEditorPage),
      },
      {
        path: 'automation/rules/:id',
        title: 'Rule',
        canActivate: [orgGuard],
        loadComponent: () => import('@parley/console/automation').then((m) => m.RuleEditorPage),
      },
      {
        path: 'automation/flows',
        title: 'Flows',
        canActivate: [orgGuard],
        loadComponent: () => import('@parley/console/automation').then((m) => m.FlowsPage),
      },
      {
        path: 'automation/flows/new',
        title: 'New flow',
        canActivate: [orgGuard, roleGuard('admin')],
        loadComponent: () => import('@parley/console/automation').then((m) => m.FlowEditorPage),
      },
      {
        path: 'automation/flows/:id',
        title: 'Flow',
        canActivate: [orgGuard],
        loadComponent: () => import('@parley/console/automation').then((m) => m.FlowEditorPage),
      },
      { path: 'settings', pathMatch: 'full', redirectTo: 'settings/whatsapp' },
      {
        path: 'settings/team',
        title: 'Team',
        canActivate: [orgGuard, roleGuard('admin')],
        loadComponent: () => import('@parley/console/settings').then((m) => m.TeamPage),
      },
      {
        path: 'settings/quick-replies',
        title: 'Quick replies',
        canActivate: [orgGuard, roleGuard('admin')],
        loadComponent: () => import('@parley/console/settings').then((m) => m.QuickRepliesPage),
      },
      {
        path: 'settings/business-hours',
        title: 'Business hours',
        canActivate: [orgGuard, roleGuard('admin')],
        loadComponent: () => import('@parley/console/settings').then((m) => m.BusinessHoursPage),
      },
      {
        path: 'settings/ai',
        title: 'AI triage',
        canActivate: [orgGuard, roleGuard('admin')],
        loadComponent: () => import('@parley/console/settings').then((m) => m.AiSettingsPage),
      },
      {
        path: 'settings/whatsapp',
        title: 'WhatsApp accounts',
        canActivate: [orgGuard, roleGuard('admin')],
        loadComponent: () => import('@parley/console/settings').then((m) => m.WhatsAppPage),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
