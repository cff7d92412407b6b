"""Charts of query results (the ``plot`` extra): matplotlib Figures made without pyplot,
so that a notebook shows each once, with their uncertainty drawn, never hidden."""
