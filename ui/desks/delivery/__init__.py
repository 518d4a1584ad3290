"""出件台: notify for collection, hand over (ID or authorization checked), mail, archive."""
