// @ts-check
/**
 * JSDoc types of what app.js gives the screens (page only: the worker's types are in types.js,
 * which must not import page modules). Types only; nothing here runs.
 */

/**
 * app.js's `command`: runs one engine command and resolves with its answer once its changes are
 * on disk, or with null when it failed (the error is toasted).
 * @typedef {(name: string, payload: Record<string, unknown>) => Promise<import("./types.js").Success | null>} Command
 */

/**
 * Everything app.js gives a screen's `mount(root, ctx, params)`.
 * @typedef {{
 *   backend: import("./backend.js").Backend,
 *   engine: import("./engine.js").Engine,
 *   command: Command,
 *   toast: (text: string) => void,
 *   tracker: {track: <T>(p: Promise<T>) => Promise<T>},
 *   refreshToday: () => Promise<void>,
 *   navigate: (hash: string) => void,
 * }} AppContext
 */

/**
 * What a screen module gets from app.js (the parts these screens use).
 * @typedef {{backend: import("./backend.js").Backend, command: Command,
 *   toast: (text: string) => void, navigate: (hash: string) => void,
 *   tracker?: {track: <T>(p: Promise<T>) => Promise<T>}}} ScreenContext
 */

/**
 * What the Import and export screen is given by app.js.
 * @typedef {{
 *   backend: import("./backend.js").Backend,
 *   command: Command,
 *   toast: (text: string) => void,
 *   tracker: {track: <T>(p: Promise<T>) => Promise<T>},
 *   navigate: (hash: string) => void,
 * }} TransferCtx
 */

// --- Reminders ------------------------------------------------------------------------------

/**
 * What this browser offers for the morning digest (reminders.js `support`).
 * @typedef {{notifications: boolean, permission: NotificationPermission, periodicSync: boolean,
 *   periodicPermission: PermissionState | "unknown", registered: boolean, actions: number,
 *   badge: boolean, installed: boolean, push: boolean}} ReminderSupport
 */

export {};
