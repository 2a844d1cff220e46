export const BUILD_OUTPUTS: Record<'service' | 'banner' | 'admin', string>;
export function ensureDependencies(root: string, options?: { log?: (line: string) => void }): boolean;
export function ensureBuilt(root: string, options?: { all?: boolean; log?: (line: string) => void }): string[];
