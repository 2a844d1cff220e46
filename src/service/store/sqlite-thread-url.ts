/**
 * The entry module of the SQLite store's background threads, as the source
 * tree has it (Node strips its types). The service build and the tests
 * replace this module with one whose URL holds that entry already built, as a
 * `data:` URL (scripts/build/sqlite-threads.ts), so that the shipped service
 * stays one file.
 */
export const THREAD_ENTRY: URL = new URL('./sqlite-thread.ts', import.meta.url);
