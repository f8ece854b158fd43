"""Backing up and restoring a whole workspace, as one streamed JSON Lines file.

`export` writes the file (its format is described there: header, rows, end line) and
holds what both sides share: the format version, the models in foreign-key order, the
migration state. `load` reads a file back into a database, all of it or nothing.
The management commands `export_workspace` and `import_workspace` are their front ends;
`.ci/backup-roundtrip` checks that SQLite → PostgreSQL → SQLite keeps every row.

Not to be confused with annotate.restore, which brings back single deleted claims,
citations and notes from their history.
"""
