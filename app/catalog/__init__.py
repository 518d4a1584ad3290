"""The item catalogue (事项目录) and form templates (表单模板): data, schema, loading, validation.

See ``docs/catalog.md``. Import the modules themselves (``schema``, ``loader``, ``conditions``,
``pinyin``, ``service``, ``commands``): this package re-exports nothing, so importing one of them
does not load the others. The usual entry points::

    from app.catalog.loader import bundled_catalog, load_catalog
    catalog = load_catalog([Path("county/catalog")])   # raises CatalogRejected with every problem
    template = catalog.template_for(catalog.items[0])
    template.field_states(form_data)                    # which fields are visible / required
"""
