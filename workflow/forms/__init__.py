"""WTForms forms, one class per use case; CSRF comes from Flask-WTF."""
