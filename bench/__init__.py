"""
``make bench`` and the harness the stack tests share: the production stack on
loopback (``stack``), the page cache's ceiling (``ceiling``, ``settings``),
the load test (``site``) and the spreadsheet timings (``spreadsheets``).
Not an installed app: production never imports it.
"""
