"""Bulk import: W3C Web Annotations, or our own JSON Lines export, into an article.

- `items`: what an imported annotation says, whatever file it came from;
- `reading`: a request body to items (format by media type or shape, limits, JSON);
- `w3c` and `jsonl`: the two formats' parsers, each refusing what it cannot honour;
- `planning`: each item anchored into the current revision by re-anchoring's rules;
- `vetting`: what each item would do (place, whose name, field rules), for a dry run too;
- `service`: `annotations_import`, which writes through the services, all or nothing.
"""
