/** Records leave with sendBeacon (fetch keepalive when the beacon is refused): never awaited, never blocking. */
export function post(url: string | undefined, body: Record<string, unknown>): void {
  if (!url) return;
  const json = JSON.stringify(body);
  try {
    // application/json needs a CORS preflight only cross-origin; the plugin's route is same-origin.
    if (navigator.sendBeacon(url, new Blob([json], { type: 'application/json' }))) return;
  } catch {
    // fall through to fetch
  }
  fetch(url, { method: 'POST', body: json, headers: { 'Content-Type': 'application/json' }, keepalive: true, credentials: 'same-origin' }).catch(() => {});
}

/** The page address without its fragment, within the service's 2048-character limit. */
export const pageUrl = (): string => (location.origin + location.pathname + location.search).slice(0, 2048);
