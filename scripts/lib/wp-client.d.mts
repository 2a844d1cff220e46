export class WordPressClient {
  constructor(siteUrl: string);
  readonly siteUrl: string;
  cookies: Map<string, string>;
  nonce: string | null;
  readonly loggedIn: boolean;
  cookieHeader(): string;
  request(path: string, options?: { method?: string; headers?: Record<string, string>; body?: string; redirect?: boolean; timeoutMs?: number }): Promise<Response>;
  login(user?: string, password?: string): Promise<this>;
  rest<T = any>(route: string, options?: { method?: string; body?: unknown; nonce?: boolean; timeoutMs?: number }): Promise<{ status: number; body: T }>;
}
