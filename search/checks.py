"""`manage.py check` for the search settings (registered in search/apps.py)."""
