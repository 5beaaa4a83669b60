"""One connector per central system, all behind `cowapp.sync.connectors.base.Connector`."""
