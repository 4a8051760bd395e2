// The module the build renders into static/js/build-info.js (web/templates/build-info.js.j2).
// It exists only in a build, so the checker reads its shape from here: tsconfig's rootDirs
// lays this folder over web/static/js.

/** Facts about this build, as buildtool/plan.py renders them. */
export declare const BUILD: Readonly<{
  /** The pinned Pyodide release under dist/pyodide/. */
  pyodide_version: string;
  /** Hash of the runtime, the stdlib zip and the engine zip: the memory snapshot's key. */
  engine_hash: string;
  /** The service worker's VERSION: a content hash of every file of the build. */
  version: string;
  /** The `info` of Pyodide's lock file, for `lockFileContents: {info, packages: {}}`. */
  lock_info: Readonly<Record<string, unknown>>;
}>;
