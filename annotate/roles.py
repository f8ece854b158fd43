"""The three roles, held as Django groups that migration 0002_roles creates with their
permissions (that migration holds the permission table, frozen as history; 0010_shared_sources
gives every role the same rights on citations and shared sources).

Code asks `has_perm` (see annotate.access), not group names, so an admin can grant one
permission to one user without inventing a role.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    REVIEWER = "reviewer"  # annotates: spans, claims, citations, sources, own confidence notes
    LEAD = "lead"  # adjudicates verdicts, manages articles, edits anything
    RESEARCHER = "researcher"  # reads everything, writes nothing
