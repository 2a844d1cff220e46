/**
 * The entry module of the scan thread, as the source tree has it (Node strips
 * its types). The service build and the tests replace this module with one
 * whose URL holds that entry already built, as a `data:` URL
 * (scripts/build/sqlite-threads.ts), so that the shipped service stays one file.
 */
export const THREAD_ENTRY: URL = new URL('./scan-worker.ts', import.meta.url);
