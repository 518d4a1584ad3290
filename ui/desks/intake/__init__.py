"""受理台: the front desk — pick an item, fill its form, tick the materials, decide."""
