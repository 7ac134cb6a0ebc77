"""The site generator's build integration: a MkDocs plugin (``guideline-site``).

* ``plugin``: the plugin, its options and what one build collects;
* ``pages``: what it writes into pages (the form, decision table, change log, list);
* ``offline``: the service worker and what it precaches;
* ``assets``: the runtime, the wheel, generated modules, icons and compressed copies;
* ``deploy``: headers, CSP and cache rules, and the server snippets written from them.
* ``scaffold``: new sites and guidelines from ``templates/`` (``guideline-site new``, ``new-guideline``);
* ``release``: the release record of a guideline's content version (``guideline-site release-record``).
"""
