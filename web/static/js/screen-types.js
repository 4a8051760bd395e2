// @ts-check
/**
 * JSDoc types of what app.js gives the screens (page only: the worker's types are in types.js,
 * which must not import page modules). Types only; nothing here runs.
 */

/**
 * What a screen module gets from app.js (the parts these screens use).
 * @typedef {{backend: import("./backend.js").Backend,
 *   command: (name: string, payload: Record<string, unknown>) => Promise<any>,
 *   toast: (text: string) => void, navigate: (hash: string) => void}} ScreenContext
 */

/**
 * What the Import and export screen is given by app.js.
 * @typedef {{
 *   backend: import("./backend.js").Backend,
 *   command: (name: string, payload: Record<string, unknown>) => Promise<any>,
 *   toast: (text: string) => void,
 *   tracker: {track: <T>(p: Promise<T>) => Promise<T>},
 *   navigate: (hash: string) => void,
 * }} TransferCtx
 */

export {};
