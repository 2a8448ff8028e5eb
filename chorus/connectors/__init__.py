"""Connectors: one package per network, each implementing ``contract.Connector``."""
