"""Datasets for research tools: an article's annotations as a Frictionless data package
(a zip of one CSV per kind of object, described by datapackage.json with a Table Schema
for each), GET /api/v1/articles/{slug}/export/datapackage/."""
