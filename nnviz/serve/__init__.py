"""Serve the app from several processes: `python -m nnviz.serve --replicas K --port 8501`.

K `streamlit run app.py` replicas on free loopback ports, nginx in front with per-browser
affinity (a cookie hashed onto the replicas), one URL for the class. Ctrl-C or SIGTERM stops
everything. `--replicas 1` runs a single Streamlit on the port, without nginx.

This package starts Streamlit as a program; it never imports it.
"""

from nnviz.serve.cluster import MAX_REPLICAS, Cluster, replica_command
from nnviz.serve.errors import ServeError
from nnviz.serve.nginx import AFFINITY_COOKIE, TEMPLATE, render_nginx_config

__all__ = [
    "AFFINITY_COOKIE",
    "MAX_REPLICAS",
    "TEMPLATE",
    "Cluster",
    "ServeError",
    "render_nginx_config",
    "replica_command",
]
