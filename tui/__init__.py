"""The `padan` command line and the Textual app: thin layers over corpora/, tm/, termbase/."""
