"""Indicator frameworks (指标体系) as data, and the engine that scores regions against them.

model  – the typed framework (tree, leaf rules, bonus, gates, N/A policy, grade bands)
load   – YAML in and out;  check – structural validation;  score – the scoring engine
importer – office spreadsheets / Word tables → framework;  template / sheets – scoring sheets
balance – 优质均衡 school data;  survey – satisfaction results;  report – self-score findings
"""
from dudao.framework.load import load_framework
from dudao.framework.model import Framework

__all__ = ["Framework", "load_framework"]
