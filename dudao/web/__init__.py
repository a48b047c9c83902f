"""The dudao platform: counties submit, the office reviews and feeds back.

A thin web layer (FastAPI + Jinja2 pages in Chinese, a JSON API under /api) over the dudao
library and a database (SQLite by default, PostgreSQL for an office):
`dudao.web.app.create_app(Settings(...))` builds the application; `dudao serve` runs it.
"""
