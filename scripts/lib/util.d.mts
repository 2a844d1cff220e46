export const repoRoot: string;
export function freePort(): Promise<number>;
export function sleep(ms: number): Promise<void>;
export function waitFor<T>(what: string, probe: () => T | Promise<T>, options?: { timeoutMs?: number; intervalMs?: number; check?: () => void }): Promise<T>;
export function fetchWithTimeout(url: string, options?: RequestInit, timeoutMs?: number): Promise<Response>;
export function since(start: number): number;
