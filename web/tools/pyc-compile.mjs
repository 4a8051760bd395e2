// @ts-check
/**
 * Build-time only (not shipped): compile the .py files inside zips to .pyc with Pyodide's own
 * CPython, so the bytecode's magic number is the one the browser's Pyodide accepts. The host
 * Python (3.11) cannot do this: its bytecode is rejected ("bad magic number") and it cannot even
 * parse the 3.14 standard library.
 *
 *   node pyc-compile.mjs PYODIDE_DIR JOBS_JSON
 *
 * PYODIDE_DIR is the unpacked npm package. JOBS_JSON is a file holding
 *   {"root": DIR, "jobs": [{"input": "a.zip", "output": "b.zip", "keep_source": false,
 *                           "filename_prefix": "/lib/python314.zip/"}]}
 * with input and output relative to root (the one directory mounted into Pyodide). An optional
 * "stdlib": "x.zip" (also under root) is an already precompiled standard library to boot from:
 * Pyodide boots in about a third of the time when it need not compile its own stdlib first.
 *
 * Each output zip holds, in sorted order with fixed timestamps and deflate level 9, every entry
 * of its input with each `name.py` replaced by `name.pyc` (an unchecked-hash pyc: no timestamp,
 * and zipimport never looks for the source), plus the source itself when keep_source is set (for
 * tracebacks) and its name starts with the job's optional "source_prefix". Two runs on the same input give the same bytes (tests/build checks it across
 * processes). marshal already sorts frozenset constants (since 3.11) and these pycs carry no
 * timestamps; PYTHONHASHSEED is pinned as well, so nothing else that depends on the hash seed can
 * creep in.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const COMPILE_PY = `
import importlib.util, io, json, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

if sys.version_info[:2] != (3, 14):
    raise SystemExit(f"expected Pyodide's CPython 3.14, got {sys.version}")

def _entry(name):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.create_system = 3
    if name.endswith("/"):
        info.external_attr = (0o40755 << 16) | 0x10
        info.compress_type = zipfile.ZIP_STORED
    else:
        info.external_attr = 0o100644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
    return info

def compile_zip(job, root):
    entries = {}
    compiled = 0
    with open(f"{root}/{job['input']}", "rb") as f:
        source = io.BytesIO(f.read())
    with zipfile.ZipFile(source) as zin:
        for name in zin.namelist():
            data = zin.read(name)
            if not name.endswith(".py"):
                entries[name] = data
                continue
            try:
                code = compile(data, job["filename_prefix"] + name, "exec", dont_inherit=True)
            except SyntaxError as exc:
                raise SystemExit(f"{job['input']}: cannot compile {name}: {exc}") from None
            source_hash = importlib.util.source_hash(data)
            entries[name + "c"] = bytes(_code_to_hash_pyc(code, source_hash, checked=False))
            if job["keep_source"] and name.startswith(job.get("source_prefix", "")):
                entries[name] = data
            compiled += 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zout:
        for name in sorted(entries):
            zout.writestr(_entry(name), entries[name], compresslevel=9)
    # One write: many small writes through the Node filesystem are slow.
    with open(f"{root}/{job['output']}", "wb") as f:
        f.write(buffer.getvalue())
    return compiled

def run(spec_json):
    spec = json.loads(spec_json)
    return json.dumps([compile_zip(job, "/build") for job in spec["jobs"]])
`;

async function main() {
  const started = performance.now();
  const [pyodideDir, jobsPath] = process.argv.slice(2);
  if (!pyodideDir || !jobsPath) {
    console.error("usage: node pyc-compile.mjs PYODIDE_DIR JOBS_JSON");
    process.exit(2);
  }
  const spec = JSON.parse(readFileSync(jobsPath, "utf8"));
  const indexURL = join(resolve(pyodideDir), "/");
  const lockInfo = JSON.parse(readFileSync(join(indexURL, "pyodide-lock.json"), "utf8")).info;
  const { loadPyodide } = await import(pathToFileURL(join(indexURL, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({
    indexURL,
    env: { PYTHONHASHSEED: "0" },
    // Pyodide's own lock info (it checks the ABI), but no packages: nothing is ever fetched.
    lockFileContents: { info: lockInfo, packages: {} },
    ...(spec.stdlib ? { stdLibURL: join(spec.root, spec.stdlib) } : {}),
    stdout: (/** @type {string} */ line) => console.log(line),
    stderr: (/** @type {string} */ line) => console.error(line),
  });
  pyodide.FS.mkdirTree("/build");
  pyodide.mountNodeFS("/build", spec.root);
  const booted = performance.now();
  pyodide.runPython(COMPILE_PY);
  const counts = JSON.parse(pyodide.globals.get("run")(JSON.stringify(spec)));
  const done = performance.now();
  // The last line of stdout is the result build.py reads.
  console.log(JSON.stringify({
    compiled: counts,
    boot_ms: Math.round(booted - started),
    compile_ms: Math.round(done - booted),
  }));
}

/** Print one line, not Node's dump of the (minified) source around the error. */
function fail(/** @type {unknown} */ error) {
  console.error(`pyc-compile: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
main().catch(fail);
