"""Dashboards of progress against targets and queue health."""
