"""Evidence of a case (证据材料, 《行政处罚法》第四十六条) and the files that carry it: the item records,
the content-checked uploads and the store that keeps their bytes in the database."""
