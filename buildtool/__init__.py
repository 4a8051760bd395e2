"""The build of Followthrough, in parts; `build.py` at the repository root is its entry point.

- `host`: what the build needs from this machine (node, npm, a cache folder) and `BuildError`.
- `pyodide`: the pinned runtime, fetched with `npm pack` and checked against its integrity.
- `wheels`: pure-Python wheels the engine imports, pinned by hash, merged into the engine zip.
- `compile`: reproducible zips, and .pyc compiled by Pyodide's own CPython under Node.
- `icons`: the app's icons, drawn with Pillow.
- `plan`: every file of dist/ as data (path -> bytes), with the content-hash version.
- `dist`: writing the plan to disk, and `build()`, which fetches, plans and writes.
- `serve`: the dev server for a build (and the sync API beside it).
- `cli`: the command line.
"""
