"""Legal documents (执法文书) rendered from one plain dict to HTML and PDF; no database access.

`types` holds the registry of document types and the data contract, `fields` the check of
required fields, `formatting` the Jinja filters (dates, money, party labels), `renderer` the
Jinja/WeasyPrint rendering. The templates and the stylesheet live in `<repo>/doc_templates/`.
"""
