"""Tests of this memo's own content (its chapters, facts, ids): not copied into a new site."""
