"""Site search: Pagefind over the finished pages, with Estonian word forms added at build time.

`index.py` marks every page (what to index, its kind, the forms of its key words, its public phone) and runs
Pagefind; `forms.py` finds the word forms; `assets/search.js` loads the index on the first keystroke.
"""
