// @ts-check
/**
 * Test helper: boot the Pyodide of a build under Node from dist/ alone (its runtime files, its
 * precompiled standard library, the lock info from build-info.js), put the engine zip on
 * sys.path the way the worker does, import modules and print where each came from as JSON.
 *
 *   node boot-check.mjs DIST MODULES_JSON
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ENGINE_ZIP_PATH = "/home/pyodide/followup.zip";

const CHECK_PY = `
import importlib, json, pkgutil, sys
sys.path.insert(0, ${JSON.stringify(ENGINE_ZIP_PATH)})
origins = {}
for name in json.loads(MODULES):
    origins[name] = importlib.import_module(name).__spec__.origin
import followup
engine = {}
for info in pkgutil.walk_packages(followup.__path__, "followup."):
    if info.ispkg:
        continue  # its modules are listed; the package itself is imported on the way
    module = importlib.import_module(info.name)
    code = module.__loader__.get_code(info.name)
    engine[info.name] = {
        "origin": module.__spec__.origin,
        "co_filename": code.co_filename,
        "has_source": module.__loader__.get_source(info.name) is not None,
    }
# The interop libraries (vobject and its dependencies, merged into the engine zip) really run.
from followup import api
card = "BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nFN:Ann Smith\\r\\nEMAIL:ann@example.com\\r\\nEND:VCARD\\r\\n"
previewed = json.loads(api.call(json.dumps({"op": "import_preview", "text": card})))
calendar = json.loads(api.call(json.dumps(
    {"op": "export_ics", "now": "2026-11-23T09:00:00Z", "today": "2026-11-23"})))
qr = json.loads(api.call(json.dumps({"op": "qr", "text": "https://example.com/pair"})))
import vobject
import segno
interop = {
    "segno_origin": segno.__spec__.origin,
    "qr_size": qr.get("qr", {}).get("size"),
    "vobject_origin": vobject.__spec__.origin,
    "preview_new": previewed.get("new"),
    "ics_ok": calendar.get("ok"),
    "ics_begins": calendar.get("text", "")[:15],
}
json.dumps({"python": sys.version.split()[0], "origins": origins, "engine": engine,
            "package_origin": followup.__spec__.origin, "interop": interop})
`;

const [dist, modulesJson] = process.argv.slice(2);
const root = resolve(dist);
const { BUILD } = await import(pathToFileURL(join(root, "static/js/build-info.js")).href);
const { loadPyodide } = await import(pathToFileURL(join(root, "pyodide/pyodide.mjs")).href);
const engineZip = new Uint8Array(readFileSync(join(root, "py/followup.zip")));
const started = performance.now();
const pyodide = await loadPyodide({
  indexURL: join(root, "pyodide/"),
  lockFileContents: { info: BUILD.lock_info, packages: {} },
  fsInit: (/** @type {any} */ FS) => {
    FS.mkdirTree("/home/pyodide");
    FS.writeFile(ENGINE_ZIP_PATH, engineZip);
  },
});
const bootMs = Math.round(performance.now() - started);
pyodide.globals.set("MODULES", modulesJson);
const result = JSON.parse(pyodide.runPython(CHECK_PY));
console.log(JSON.stringify({ ...result, boot_ms: bootMs }));
