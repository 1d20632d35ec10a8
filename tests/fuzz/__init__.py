"""Fuzzing and memory bounds for everything a user can hand the server (issue 11).

`profile.FUZZ` holds the hypothesis settings; `measure` runs one input in a fresh process and
reports its peak memory; `crafted` builds the hostile inputs. This package imports nothing
heavy, so the measuring process starts small.
"""
