"""The centre's villages and communities (村/社区) with their 12-digit 统计用区划代码.

The list comes from the county, one file per county (``resources/divisions/<county>.json`` for
the bundled demo county; the shape is in ``docs/divisions.md``). It serves two things at the
window: the picker in a form's address (find a village by name, pinyin initials or code), and the
check of a division code against the centre's county (a code of another county is warned about or
refused, by the centre's setting ``settings.OUT_OF_COUNTY_CODES``).

Import the modules themselves: ``model`` (the list and its search), ``loader`` (the file shape and
the bundled files), ``policy`` (the centre's list and rule, read from the store's settings).
"""
