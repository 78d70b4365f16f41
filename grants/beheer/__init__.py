"""Beheer (/beheer/): a funder's own administrators configure their funder, without the superuser.

A second `django.contrib.admin` site. It reuses the ModelAdmins of /admin/ (one definition of
each admin's fields) through `scoping.FunderScopedMixin`, which narrows every list, object and
choice to the funders where the user holds the admin role (`grants.administer_funder`). Each app
registers its models in `<app>/beheer.py`, imported by its AppConfig; lifecycle data
(applications, decisions, letters, payments) is not registered: it lives in the workbench.
"""
