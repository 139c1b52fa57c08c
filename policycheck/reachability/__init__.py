"""Network reachability over the model: which packets reach which interfaces, by what path."""
