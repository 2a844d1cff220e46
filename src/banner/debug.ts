/// <reference types="vite/client" />
/** Debug output in development only; the production build replaces `DEV` with false and drops it. */
export const debug: (...args: unknown[]) => void = import.meta.env?.DEV
  ? (...args) => console.debug('[consentry]', ...args)
  : () => {};
