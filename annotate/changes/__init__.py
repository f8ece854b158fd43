"""The changes feed: every create, update, delete and restore of every resource the API
serves, in one table, in the order a reader can rely on.

Why one table written by the writers, not history stitched together at read time: a
mirror must never miss a change, and only the transaction that changes a row knows, at
that moment, that it did. So every write records a `Change` row in its own transaction
(annotate.changes.recording), and a reader pages through that one table with a cursor
(annotate.changes.selectors). The API serves it at /api/v1/changes/ and webhooks deliver
the same rows.

What a change carries is what happened (resource, id, action, who, when); the resource
itself is rendered when it is read, as the reader may see it then (annotate.changes.
rendering), or a tombstone when it is gone or hidden from them. So applying the events in
order always leaves a copy equal to what the API shows now, even when two transactions
commit in another order than they began, and nobody is sent a snapshot of something they
may no longer see.
"""
