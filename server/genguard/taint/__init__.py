"""Taint analysis: follow untrusted data from where it enters to where it is dangerous.

Rules say what sources, sinks, sanitizers and propagators are (:mod:`.spec`, data
in the rule packs); a front end per language (:mod:`.python`, :mod:`.javascript`)
follows the data through each function of a file on the shared core
(:mod:`.core`); :mod:`.run` turns what reaches a sink into rule matches with their
path. The matcher runs it beside the query and regex rules, so every entry point
gets taint findings through the one check pipeline.
"""
