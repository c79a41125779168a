"""Benchmarks for Bonded WMS, run by ``make bench`` (``python -m bench``).

The first benchmark drives inventory move scans through the real HTTP server on PostgreSQL and puts the
rate next to the database's own ceiling for the same statements, measured in the same run:

    pg.py       throw-away database: create, migrate, seed, check, drop
    server.py   the real server (``flask wms serve``, gunicorn gthread) as a subprocess
    load.py     the timed runner: N workers repeating one operation, latency and outcome counts
    moves.py    the HTTP side: tokens, stock lanes, one keep-alive connection per client
    ceiling.py  the database side: the same SQL over psycopg, one connection per worker
    cpu.py      CPU seconds spent by the server, the load generator and the rest (PostgreSQL)
    report.py   the table on stdout and the JSON file in bench/results/
"""
