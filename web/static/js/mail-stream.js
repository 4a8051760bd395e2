// @ts-check
/**
 * A mail archive streamed into the engine, in the worker (engine.worker.js imports this on
 * first use): the chosen File is read 4 MB at a time (Blob.slice), each chunk decoded as
 * `x-user-defined` (one character per byte, so no byte is lost or guessed) and fed to the
 * engine's mbox session (`mbox_begin`, `mbox_feed`, followup/mail_ops.py). Each feed goes
 * through the worker's queue like any request, so the app keeps answering while a file of
 * gigabytes is read; memory holds one chunk at a time. Cancel ends the session: the engine
 * drops all it read, and nothing was written.
 */

/** Bytes per chunk: large enough that the per-call cost is small, small enough for memory. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/** Sessions the page asked to cancel. @type {Set<string>} */
const cancelled = new Set();

/** @param {string} session */
export function cancel(session) {
  cancelled.add(session);
}

/**
 * @typedef {import("./types.js").Progress} MailProgress
 * @typedef {(request: Record<string, unknown> & {op: string}) => Promise<import("./types.js").Answer>} Ask
 */

/**
 * Read `file` into a new engine session; answers `{ok, session, messages, matched}` once it is
 * read to its end (then `import_preview`/`import_commit` with `{format: "mbox", session}`), or
 * the engine's refusal, or `{ok: false, error: "cancelled"}`.
 * @param {{file: File, first_line?: boolean}} request
 * @param {Ask} ask runs one engine op in the worker's queue
 * @param {(progress: MailProgress) => void} progress
 * @returns {Promise<import("./types.js").Answer>}
 */
export async function streamMbox(request, ask, progress) {
  const { file } = request;
  if (!(file instanceof Blob)) return { ok: false, error: "missing-field", message: "Choose a file first.", field: "file" };
  const begun = await ask({ op: "mbox_begin", first_line: Boolean(request.first_line) });
  if (!begun.ok) return begun;
  const session = /** @type {string} */ (begun.session);
  const total = file.size;
  const decoder = new TextDecoder("x-user-defined");
  let messages = 0;
  let matched = 0;
  progress({ session, done: 0, total, messages, matched, words: "" });
  try {
    for (let at = 0; at === 0 || at < total; at += CHUNK_BYTES) {
      if (cancelled.has(session)) {
        await ask({ op: "mbox_end", session });
        return { ok: false, error: "cancelled", message: "Import cancelled: nothing was kept." };
      }
      let chunk;
      try {
        chunk = decoder.decode(await file.slice(at, at + CHUNK_BYTES).arrayBuffer());
      } catch (error) {
        await ask({ op: "mbox_end", session });
        return { ok: false, error: "unreadable", message: `This file could not be read: ${error instanceof Error ? error.message : String(error)}`, field: "file" };
      }
      const done = Math.min(at + CHUNK_BYTES, total);
      const answer = await ask({ op: "mbox_feed", session, chunk, last: done >= total, done, total });
      if (!answer.ok) {
        await ask({ op: "mbox_end", session });
        return answer;
      }
      messages = /** @type {number} */ (answer.messages);
      matched = /** @type {number} */ (answer.matched);
      progress({ session, done, total, messages, matched, words: /** @type {string} */ (answer.words) });
    }
  } finally {
    cancelled.delete(session);
  }
  return { ok: true, session, messages, matched };
}
