"""The JSON API for provinces' systems (Django REST framework): agencies, reports and findings.

Reads and writes go through the same permissions (``gongkai_web.permissions``) and the same
actions (``gongkai_web.reports.actions``) as the pages; the documents are the library's JSON
model (keys as in FORMAT.md), read and written exactly (``gongkai.schema``).
"""
