export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
export function ensureChromium(options?: { log?: (line: string) => void }): string;
