"""What igkg reads out of a compiled graph: names, nodes, the citation network, lineage,
descriptions, counts and named queries."""
