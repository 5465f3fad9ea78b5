"""The CoinGecko source: the API client, the local SQLite store, the incremental pull, and reading the store."""
