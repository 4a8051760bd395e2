"""The optional sync server: relays end-to-end encrypted record states between one user's
devices and can read none of them. The wire contract is docs/sync-protocol.md."""
