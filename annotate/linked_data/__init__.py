"""Linked data: Claimdesk's own JSON-LD context (the terms our W3C export adds to the Web
Annotation vocabulary) and the W3C's test suite for the Web Annotation data model."""
