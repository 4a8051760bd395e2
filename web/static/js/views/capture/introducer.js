// @ts-check
/**
 * Capture's "introduced by": the one person picker (views/person-picker.js) on the form's own
 * elements, with Capture's words, and Enter on an empty list going on to "Met at".
 */
import { byId } from "../../dom.js";
import { PersonPicker } from "../person-picker.js";

export class IntroducerPicker extends PersonPicker {
  /**
   * @param {{backend: import("../../backend.js").Backend, onChange: () => void}} hooks
   */
  constructor({ backend, onChange }) {
    super({
      backend, onChange,
      combo: /** @type {HTMLInputElement} */ (byId("capture-introducer")),
      listbox: byId("introducer-options"),
      hint: byId("capture-introducer-hint"),
      picked: (name) => `${name} introduced you. The follow-ups will name them.`,
      added: (name) => `${name} will be saved as a new person too.`,
      onEnter: () => /** @type {HTMLInputElement} */ (byId("capture-event")).focus(),
    });
  }

  /** What the capture draft keeps of the pick. */
  draftFields() {
    const { id, newName } = this.draft();
    return { introducer_id: id, introducer_new: newName };
  }

  /** @param {{introducer_id?: string | null, introducer_new?: string | null}} draft */
  restoreFields(draft) {
    this.restore({ id: draft.introducer_id, newName: draft.introducer_new });
  }
}
