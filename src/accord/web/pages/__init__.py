"""One module per page (or small group of pages); web/router.py lists their controllers."""
