"""Sign-in and sign-out pages."""
