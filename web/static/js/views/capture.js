// @ts-check
/**
 * Capture, in the page itself so it is usable at once: the form (capture/form.js), its pickers
 * (capture/introducer.js, capture/event.js) and what it reads from pastes and shares
 * (capture/paste.js, capture/read.js).
 */
import { CaptureView } from "./capture/form.js";
import { formatDay } from "./capture/event.js";
import { linkedinUrl, nameFromSlug, parseHeadline, parseShared } from "./capture/read.js";

export { CaptureView, formatDay, linkedinUrl, nameFromSlug, parseHeadline, parseShared };
