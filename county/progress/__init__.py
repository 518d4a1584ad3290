"""办件进度查询: the county's small public page where a resident follows a case with the number
and 查询密码 printed on its receipts, and rates it from a phone (``router.py``)."""
