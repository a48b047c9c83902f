"""Imported by the workers' forkserver (dudao/workers.py, `set_forkserver_preload`): importing it
loads and warms the analysis stack in the server once, so every worker forked from it starts warm.

Nothing else imports this module: importing it runs a whole sample analysis.
"""
from dudao.warm import warm

warm()
