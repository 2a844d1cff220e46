import type { WordPressClient } from './wp-client.mjs';

export const PLUGIN_ID: string;

export interface StackOptions {
  root?: string;
  db: string;
  accountFile?: string;
  servicePort?: number;
  wpPort?: number;
  wpEnvHome?: string;
  siteDir?: string;
  runtime?: 'playground' | 'docker';
  writeOverride?: boolean;
  handleSignals?: boolean;
  /** Environment variables for the service only. */
  serviceEnv?: Record<string, string>;
  log?: (line: string) => void;
}

export interface Connection {
  connected: boolean;
  serviceUrl: string;
  siteId: string | null;
  publicKey: string | null;
  secretKeyHint: string | null;
  siteDomain: string;
}

export interface Stack {
  root: string;
  siteUrl: string;
  adminUrl: string;
  serviceUrl: string;
  /** The service URL as the plugin reaches it (differs on the Docker runtime). */
  pluginServiceUrl: string;
  accountId: string;
  secretKey: string;
  servicePid: number;
  wordpressPid: number | null;
  wpPort: number;
  wpEnvHome: string;
  wordpress: { runtime: 'playground' | 'docker'; offline: boolean; version: string | null; coreDir: string | null };
  connection: Connection;
  connected: boolean;
  stopping: boolean;
  /** Logged-in admin client (cookie jar + REST nonce). */
  wp: WordPressClient;
  timings: Record<string, number>;
  stop(): Promise<void>;
  killSync(): void;
}

export function startStack(options: StackOptions): Promise<Stack>;
export function activatePlugin(wp: WordPressClient): Promise<unknown>;
export function connectPlugin(wp: WordPressClient, serviceUrl: string, secretKey: string): Promise<Connection>;
