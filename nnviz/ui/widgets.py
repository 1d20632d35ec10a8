"""Small shared pieces for controls: option ladders and seeded widget keys.

Widgets never get a `value=`: each key is seeded once from a config (URL or session), so the
config stays the one source of truth and Streamlit never warns about two sources.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st


def seeded(key: str, value: object) -> str:
    """Give widget `key` the value `value` unless it already has one; return the key."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def ladder(options: Iterable, value: object) -> list:
    """`options` with `value` added if missing (a link may carry any valid value); numbers
    come back sorted, names in their given order."""
    merged = list(options)
    if value not in merged:
        merged.append(value)
    return merged if isinstance(value, str) else sorted(merged)
