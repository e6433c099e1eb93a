package app

import (
	"errors"

	"github.com/gatehouse/gatehouse/ports"
)

// OpenBlobStore is the KYC file store `serve` uses (Sealed over the
// configured store), for commands that write files as uploads do
// (`gatehouse dev seed`). cfg must be loaded with ScopeServe: the store's
// settings are the server's.
func OpenBlobStore(cfg Config) (ports.BlobStore, error) {
	if !cfg.Serving() {
		return nil, errors.New("the blob store needs the server's configuration (ScopeServe)")
	}
	return provideBlobStore(cfg)
}
