"""Keys in the OS keyring, transaction building, signing (direct and amino JSON), offline signing files."""
