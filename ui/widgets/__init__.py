"""Small reusable widgets: a date that may be absent, tag chips, a checklist, plain-text helpers."""
