"""The front desk's work above single case actions: taking a resident in and deciding in
one unit of work, the clerk's drafts, what an item asks for at intake."""
