"""Re-anchoring: carrying every span into each new revision of a report.

When a lead imports the next revision of an article (the admin's upload or
`manage.py import_revision`), every span made on an earlier revision is placed in the new
text: kept, moved, proposed for review (fuzzy, ambiguous) or orphaned, each placement a
SpanAnchor, so a claim still cites the text its reviewer read while pages show it where
it now is. Leads confirm proposals and re-attach orphans.

- `anchoring`: the pure algorithm, strings in and placements out (the rules and why);
- `reanchor`: the import-time driver and the leads' services (re-attach, confirm);
- `placements`: the selectors saying where spans are in a given revision;
- `revision_admin`: the admin's revision upload and its reports.

This module imports none of them: `annotate.models` imports `anchoring` for its
constants, and the others import the models.
"""
