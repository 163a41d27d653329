import { computed, inject, Injectable, signal } from '@angular/core';
import {
  Api,
  getMe,
  login,
  logout,
  type MeDto,
  refreshTokens,
  signup,
  type TokensDto,
} from '@parley/console/api-client';

export type Role = 'owner' | 'admin' | 'agent' | 'viewer';
const RANK: Record<Role, number> = { viewer: 0, agent: 1, admin: 2, owner: 3 };

const TOKENS_KEY = 'parley.tokens';
const ORG_KEY = 'parley.org';

interface StoredTokens {
  accessToken: string;
  refreshToken: string;
}

function readTokens(): StoredTokens | null {
  try {
    const stored = JSON.parse(localStorage.getItem(TOKENS_KEY) ?? 'null') as StoredTokens | null;
    return stored?.accessToken && stored.refreshToken ? stored : null;
  } catch {
    return null;
  }
}

/**
 * Who is signed in, their organizations and the one they work in. Tokens live in localStorage so
 * a reload keeps the session; a refresh token works once, so concurrent refreshes share one call.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly api = inject(Api);
  private readonly tokens = signal<StoredTokens | null>(readTokens());
  private refreshing: Promise<string> | null = null;

  readonly me = signal<MeDto | null>(null);
  readonly orgId = signal<string | null>(localStorage.getItem(ORG_KEY));
  readonly signedIn = computed(() => this.tokens() !== null);
  readonly org = computed(() => this.me()?.orgs.find((org) => org.id === this.orgId()) ?? null);
  readonly role = computed<Role | null>(() => this.org()?.role ?? null);

  accessToken(): string | null {
    return this.tokens()?.accessToken ?? null;
  }

  /** Whether the member's role in the current org is at least `role`. */
  can(role: Role): boolean {
    const current = this.role();
    return current !== null && RANK[current] >= RANK[role];
  }

  async signIn(email: string, password: string): Promise<void> {
    this.store(await this.api.invoke(login, { body: { email, password } }));
    await this.loadMe();
  }

  async signUp(name: string, email: string, password: string): Promise<void> {
    this.store(await this.api.invoke(signup, { body: { name, email, password } }));
    await this.loadMe();
  }

  async signOut(): Promise<void> {
    if (this.tokens()) await this.api.invoke(logout).catch(() => undefined);
    this.end();
  }

  /** Loads the user and their orgs, keeping the chosen org when it is still theirs. */
  async loadMe(): Promise<MeDto> {
    const me = await this.api.invoke(getMe);
    this.me.set(me);
    if (!me.orgs.some((org) => org.id === this.orgId())) this.selectOrg(me.orgs[0]?.id ?? null);
    return me;
  }

  selectOrg(orgId: string | null): void {
    this.orgId.set(orgId);
    if (orgId) localStorage.setItem(ORG_KEY, orgId);
    else localStorage.removeItem(ORG_KEY);
  }

  /** Trades the refresh token for a new pair; one call at a time. Rejects when the session is over. */
  refresh(): Promise<string> {
    this.refreshing ??= (async () => {
      const refreshToken = this.tokens()?.refreshToken;
      if (!refreshToken) throw new Error('Not signed in');
      try {
        const tokens: TokensDto = await this.api.invoke(refreshTokens, { body: { refreshToken } });
        this.store(tokens);
        return tokens.accessToken;
      } catch (error) {
        this.end();
        throw error;
      }
    })().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Forgets the session locally (the server side is ended by `signOut`). */
  end(): void {
    localStorage.removeItem(TOKENS_KEY);
    this.tokens.set(null);
    this.me.set(null);
  }

  private store({ accessToken, refreshToken }: StoredTokens): void {
    const tokens = { accessToken, refreshToken };
    localStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
    this.tokens.set(tokens);
  }
}
