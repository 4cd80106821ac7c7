"""The actor model: frameworks as data, the collector, facts and their resolution."""
