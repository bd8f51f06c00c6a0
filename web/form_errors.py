"""Showing a domain rule's refusal on the form that caused it."""

from flask import flash


def show_domain_error(form, error):
    """Put ``error``'s message next to its field, or flash it if none matches."""
    if error.field in form:
        field = form[error.field]
        field.errors = list(field.errors) + [str(error.user_message)]
    else:
        flash(str(error.user_message), "danger")
