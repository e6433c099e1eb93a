package ports

import "context"

// TxRunner runs fn in one database transaction. The transaction travels in
// the context handed to fn; every store call made with that context joins
// it, and a nested InTx joins the outer transaction. fn's error rolls back.
type TxRunner interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}
