"""Pages of the suggestions app: items.py (everyone's item page, actions, the submitter's phone pages), office.py
(the office's back office), units.py (the handling units' inbox). Thin: access → action → response."""
