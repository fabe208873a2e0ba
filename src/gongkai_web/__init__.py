"""gongkai_web — the Django web app over the gongkai library.

Agencies draft, check and publish their 政府信息公开工作年度报告; supervisors read everything in
their subtree; published reports are public.  One app per domain:

    orgs      agencies (a tree) and people (a role in one agency); permissions in ``permissions``
    reports   the report workspace, workflow, public pages and history
    core      base templates, navigation, the demo data command

Writes go through each app's ``actions`` module (one function per thing a user does); every call
into the library goes through ``reports.library``.
"""
